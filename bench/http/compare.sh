#!/usr/bin/env bash
# The auth link of two builds side by side: BASE (a commit) and the working tree, each a server of its own, warmed up
# alike, then measured in alternating rounds (A B, B A, ...) so that this VM's drift (its /ping moves by 2x within an
# hour) falls on both alike. Prints each round (calls/s, CPU per call, the server's context switches per call, p99, the
# bytes its code allocated per call: the one figure here that the host's noise does not move) and the medians.
# Usage: bench/http/compare.sh BASE [rounds] [seconds] [path]   e.g. bench/http/compare.sh HEAD 8 8
# A runtime setting instead of a change: A_ENV / B_ENV, NAME=VALUE words put in that server's environment, e.g.
#   B_ENV=DOTNET_gcServer=0 bench/http/compare.sh HEAD      (with a clean working tree: the same build on both sides)
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/prerequisites.sh
ensure_server_prerequisites
ensure_apt_packages wrk
base_rev=$(git rev-parse --short "$1")
rounds=${2:-8}
seconds=${3:-8}
path=${4:-/api/v1/al/hello}

. bench/http/server.sh
tree=$(mktemp -d /tmp/orleansfunc-compare-XXXXXX)
chmod 755 "$tree" # the workers' OS user reads the base's worker program in it
a_pid='' a_data='' b_pid='' b_data=''
trap 'stop_bench_server "$a_pid" "$a_data"; stop_bench_server "$b_pid" "$b_data"; git worktree remove --force "$tree/base" 2>/dev/null; rm -rf "$tree"' EXIT

# The base is built in a worktree of its own without the console, which the working tree's build lends it (a server
# does not start without one; the bench calls no page).
git worktree add --detach -q "$tree/base" "$base_rev"
dotnet build "$tree/base/WebFront/WebFront.csproj" -c Release -nologo -clp:ErrorsOnly -p:SkipConsole=true
dotnet build WebFront/WebFront.csproj -c Release -nologo -clp:ErrorsOnly
cp -r WebFront/bin/Release/net10.0/wwwroot "$tree/base/WebFront/bin/Release/net10.0/"

start_bench_server "$tree/base/WebFront/bin/Release/net10.0" 18088 21111 23000 ${A_ENV:-}
a_pid=$bench_pid a_data=$bench_data a_base=$bench_base
start_bench_server WebFront/bin/Release/net10.0 18089 21112 23001 ${B_ENV:-}
b_pid=$bench_pid b_data=$bench_data b_base=$bench_base

# round LABEL PID BASE DATA: one measured run; prints "LABEL rate cpu csw p99 allocated".
round() {
    local before after allocated
    before=$(busy_ticks)
    thread_switches "$2" > "$tree/switches.txt"
    allocated=$(allocated_bytes "$3" "$4")
    (TIMEFORMAT='%U %S'; { time wrk -t2 -c64 -d"${seconds}s" --latency "$3$path" > "$tree/wrk.txt"; } 2> "$tree/wrk-cpu.txt")
    after=$(busy_ticks)
    awk -v label="$1" -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" -v wrk="$(cat "$tree/wrk-cpu.txt")" \
        -v switches="$(switches_since "$2" "$tree/switches.txt")" -v allocated="$(allocated_bytes "$3" "$4") $allocated" '
        / 99%/ { p99 = $2 } /requests in/ { calls = $1 } /Requests\/sec/ { rate = $2 }
        END { split(wrk, w, " "); split(allocated, a, " ")
              printf "%s %.0f %.0f %.2f %s %.0f\n", label, rate, (ticks / hz - w[1] - w[2]) * 1e6 / calls, switches / calls, p99, (a[1] - a[2]) / calls }
    ' "$tree/wrk.txt"
}

{
    echo "# $(date -u +%Y-%m-%dT%H:%MZ) bench/http/compare.sh $base_rev $rounds $seconds $path on $(nproc) cores"
    echo "# A: $base_rev ${A_ENV:-}; B: the working tree ($(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' with changes')) ${B_ENV:-}"
    echo "# A warm-up: $(warm_up "$a_base" "$a_data" "$path"); B warm-up: $(warm_up "$b_base" "$b_data" "$path")"
    echo "# build calls/s cpu-us/call switches/call p99 allocated-bytes/call"
    for r in $(seq "$rounds"); do
        if [ $((r % 2)) = 1 ]; then
            round A "$a_pid" "$a_base" "$a_data"; round B "$b_pid" "$b_base" "$b_data"
        else
            round B "$b_pid" "$b_base" "$b_data"; round A "$a_pid" "$a_base" "$a_data"
        fi
    done
} | tee "$tree/rounds.txt"
# Medians per build (p99 in ms).
awk '!/^#/ { n[$1]++; rate[$1, n[$1]] = $2; cpu[$1, n[$1]] = $3; csw[$1, n[$1]] = $4; p = $5; sub(/ms$/, "", p); if (p ~ /us$/) { sub(/us$/, "", p); p /= 1000 } else if (p ~ /s$/) { sub(/s$/, "", p); p *= 1000 }; p99[$1, n[$1]] = p; bytes[$1, n[$1]] = $6 }
    function median(values, build, count,    i, j, t, s) {
        for (i = 1; i <= count; i++) s[i] = values[build, i]
        for (i = 1; i <= count; i++) for (j = i + 1; j <= count; j++) if (s[j] + 0 < s[i] + 0) { t = s[i]; s[i] = s[j]; s[j] = t }
        return count % 2 ? s[(count + 1) / 2] : (s[count / 2] + s[count / 2 + 1]) / 2
    }
    END { for (b in n) printf "median %s: %.0f calls/s, %.0f us of CPU a call, %.2f switches a call, p99 %.1f ms, %.0f bytes allocated a call (%d rounds)\n",
        b, median(rate, b, n[b]), median(cpu, b, n[b]), median(csw, b, n[b]), median(p99, b, n[b]), median(bytes, b, n[b]), n[b] }' "$tree/rounds.txt" | sort
