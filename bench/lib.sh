# Shared by the benches that start servers with deploy/local-cluster.sh: sourced, not run.

# Installs what a bench needs and builds the Release binaries; Warning logs only, so logging costs nothing.
bench_prepare() {
    . deploy/prerequisites.sh
    ensure_server_prerequisites
    ensure_apt_packages "$@"
    dotnet build OrleansFunc.sln -c Release -nologo -clp:ErrorsOnly
    export Logging__LogLevel__Default=Warning
}

bench_json='Content-Type: application/json'

# Sets up the first administrator of the server at $1 and signs in; sets auth (the token header).
bench_sign_in() {
    local base=$1 token
    curl -sf -X POST "$base/api/v1/setup" -H "$bench_json" -d '{"username":"bench","password":"bench-password"}' >/dev/null
    token=$(curl -sf -X POST "$base/api/v1/auth/sign-in" -H "$bench_json" -d '{"username":"bench","password":"bench-password"}' |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["token"])')
    auth="X-Dff-Auth-Token: $token"
}

# Publishes script bench__main with the code $2 (JSON-escaped) on the server at $1.
bench_publish() {
    local base=$1 code=$2
    curl -sf -X POST "$base/api/v1/script-sets" -H "$auth" -H "$bench_json" -d '{"id":"bench"}' >/dev/null
    curl -sf -X POST "$base/api/v1/scripts" -H "$auth" -H "$bench_json" -d "{\"id\":\"bench__main\",\"codeDraft\":\"$code\"}" >/dev/null
    curl -sf -X POST "$base/api/v1/scripts/bench__main/publish" -H "$auth" -H "$bench_json" >/dev/null
}

# CPU seconds (user + system) of a process and all its descendants, now.
tree_cpu() {
    python3 - "$1" <<'PY'
import os, sys
ticks = os.sysconf('SC_CLK_TCK')
stats = {}
for pid in filter(str.isdigit, os.listdir('/proc')):
    try:
        fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    except OSError:
        continue
    stats[int(pid)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
root, total, todo = int(sys.argv[1]), 0, [int(sys.argv[1])] if int(sys.argv[1]) > 0 else []
while todo:
    pid = todo.pop()
    total += stats.get(pid, (0, 0))[1]
    todo += [child for child, (parent, _) in stats.items() if parent == pid]
print(total / ticks)
PY
}
