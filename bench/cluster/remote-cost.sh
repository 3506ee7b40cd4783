#!/usr/bin/env bash
# The CPU a run costs when it is sent to another silo, against a run on the caller's own silo, both sides
# measured from /proc (each host with its Python workers), for the paper estimate in bench/README.md.
# A hello-world auth link, by 1 and by 8 connections (deploy/local-cluster.sh clusters):
#   local:  one WebFront alone, co-hosting a silo: every call runs on its own workers;
#   remote: one WebFront in Client mode and one headless silo: every run is a grain call to the silo.
# Each phase's CPU has the same hosts' idle CPU over the same time taken off.
# Usage: bench/cluster/remote-cost.sh [seconds]   (results: bench/cluster/remote-cost.txt)
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
bench_prepare wrk haproxy
seconds=${1:-10}
work=$(mktemp -d /tmp/orleansfunc-bench-remote-XXXXXX)
chmod 755 "$work"
cluster="$work/cluster"
trap 'deploy/local-cluster.sh stop "$cluster" >/dev/null 2>&1; rm -rf "$work"' EXIT

# Starts a cluster of one WebFront and $1 headless silos with the hello link; sets base and the PIDs.
start_cluster() {
    deploy/local-cluster.sh start "$cluster" --webfronts 1 --silos "$1" --port 18280 >/dev/null
    . "$cluster/cluster.env"
    base=http://127.0.0.1:$WEB1_HTTP_PORT
    bench_sign_in "$base"
    bench_publish "$base" '@DFF.API(\"Hello\")\ndef hello():\n    return {\"hello\": \"world\", \"silo\": _DFF_SILO}\n'
    curl -sf -X POST "$base/api/v1/auth-links" -H "$auth" -H "$bench_json" -d '{"id":"hello","funcId":"bench__main.hello"}' >/dev/null
}

# µs of CPU per call on the WebFront's and the silo's side (SILO1_PID, when there is one): a phase of
# calls by $2 connections, less an idle phase as long.
measure() {
    local phase=$1 connections=$2 silo=${SILO1_PID:-0} web_before silo_before web_idle silo_idle calls out
    sleep 3
    web_before=$(tree_cpu "$WEB1_PID") silo_before=$(tree_cpu "$silo")
    sleep "$seconds"
    web_idle=$(python3 -c "print($(tree_cpu "$WEB1_PID") - $web_before)") silo_idle=$(python3 -c "print($(tree_cpu "$silo") - $silo_before)")
    wrk -t1 -c"$connections" -d2s "$base/api/v1/al/hello" >/dev/null
    web_before=$(tree_cpu "$WEB1_PID") silo_before=$(tree_cpu "$silo")
    out=$(wrk -t1 -c"$connections" -d"${seconds}s" "$base/api/v1/al/hello")
    calls=$(awk '/requests in/ { print $1 }' <<<"$out")
    python3 - "$phase, $connections conn." "$calls" "$web_before" "$(tree_cpu "$WEB1_PID")" "$web_idle" "$silo_before" "$(tree_cpu "$silo")" "$silo_idle" <<'PY'
import sys
phase, calls = sys.argv[1], int(sys.argv[2])
web = (float(sys.argv[4]) - float(sys.argv[3]) - float(sys.argv[5])) / calls * 1e6
silo = (float(sys.argv[7]) - float(sys.argv[6]) - float(sys.argv[8])) / calls * 1e6
print(f'{phase:17} {calls:7d} calls: WebFront {web:5.0f} µs/call, headless silo {silo:5.0f} µs/call, both {web + silo:5.0f} µs/call')
PY
}

{
    echo "# bench/cluster/remote-cost.sh $seconds   ($(date -u +%Y-%m-%d), $(nproc) cores)"
    echo "# hello-world auth link; CPU of each host with its Python workers, idle CPU taken off"
    start_cluster 0
    echo "local answered by:  $(curl -sf "$base/api/v1/al/hello")"
    measure local 1
    measure local 8
    deploy/local-cluster.sh stop "$cluster" >/dev/null
    rm -rf "$cluster"
    start_cluster 1
    echo "OrleansFunc__Cluster__Mode=Client" >>"$cluster/web1.launch"
    deploy/local-cluster.sh restart "$cluster" web1 >/dev/null
    . "$cluster/cluster.env"
    echo "remote answered by: $(curl -sf "$base/api/v1/al/hello") (the headless silo: $SILO1_SILO_PORT)"
    measure remote 1
    measure remote 8
} | tee bench/cluster/remote-cost.txt
