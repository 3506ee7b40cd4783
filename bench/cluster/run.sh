#!/usr/bin/env bash
# Scale-out on one machine, through deploy/local-cluster.sh and HAProxy, with wrk:
#  1. capacity: an I/O-bound func (sleeps 50 ms; 2 sync workers per silo) behind one WebFront, with
#     0, 1 and 2 headless silos added: calls/s should grow with the silos' workers, not the cores;
#  2. a hello-world auth link through HAProxy in front of two WebFronts, against one WebFront directly,
#     in the same run.
# Usage: bench/cluster/run.sh [seconds]   (results: bench/cluster/results.txt)
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
bench_prepare wrk haproxy
seconds=${1:-10}
work=$(mktemp -d /tmp/orleansfunc-bench-cluster-XXXXXX)
chmod 755 "$work"
cluster=""
trap '[ -n "$cluster" ] && deploy/local-cluster.sh stop "$cluster" >/dev/null 2>&1; rm -rf "$work"' EXIT

# Starts a cluster in $work/$1 and publishes the bench funcs with a link each; sets base and cluster.
start_cluster() {
    cluster="$work/$1"
    deploy/local-cluster.sh start "$cluster" --webfronts "$2" --silos "$3" --port 18180 >/dev/null
    base=http://127.0.0.1:18180
    bench_sign_in "$base"
    bench_publish "$base" 'import time\n\n@DFF.API(\"Hello\")\ndef hello():\n    return {\"hello\": \"world\"}\n\n@DFF.API(\"Wait\")\ndef wait():\n    time.sleep(0.05)\n    return {\"silo\": _DFF_SILO}\n'
    curl -sf -X POST "$base/api/v1/auth-links" -H "$auth" -H "$bench_json" -d '{"id":"hello","funcId":"bench__main.hello"}' >/dev/null
    curl -sf -X POST "$base/api/v1/auth-links" -H "$auth" -H "$bench_json" -d '{"id":"wait","funcId":"bench__main.wait"}' >/dev/null
    local members=$(( $2 + $3 ))
    for _ in $(seq 120); do
        [ "$(curl -sf "$base/api/v1/about" -H "$auth" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["data"]["clusterMembers"]))')" = "$members" ] && break
        sleep 0.5
    done
}

stop_cluster() {
    deploy/local-cluster.sh stop "$cluster" >/dev/null
    cluster=""
}

# wrk's calls/s, p99 and non-2xx answers for a URL.
measure() {
    local url=$1 connections=$2 out
    wrk -t2 -c"$connections" -d2s "$url" >/dev/null 2>&1 || true
    out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "$url")
    printf '%s calls/s, p99 %s, %s non-2xx' \
        "$(awk '/Requests\/sec/ { print $2 }' <<<"$out")" \
        "$(awk '$1 == "99%" { print $2 }' <<<"$out")" \
        "$(awk '/Non-2xx/ { print $5 } END { }' <<<"$out" | grep . || echo 0)"
}

{
    echo "# bench/cluster/run.sh $seconds   ($(date -u +%Y-%m-%d), $(nproc) cores)"
    echo
    echo "## 1. capacity: a func that sleeps 50 ms, 2 sync workers per silo, 32 connections through HAProxy to one WebFront"
    for silos in 0 1 2; do
        start_cluster "capacity-$silos" 1 "$silos"
        echo "$(( silos + 1 )) silo(s): $(measure "$base/api/v1/al/wait" 32)"
        stop_cluster
    done
    echo
    echo "## 2. hello world, 64 connections: HAProxy in front of two WebFronts, against one WebFront directly"
    start_cluster hello 2 0
    . "$cluster/cluster.env"
    echo "one WebFront, direct:        $(measure "http://127.0.0.1:$WEB1_HTTP_PORT/api/v1/al/hello" 64)"
    echo "/ping of that WebFront:      $(measure "http://127.0.0.1:$WEB1_HTTP_PORT/ping" 64)"
    echo "HAProxy, two WebFronts:      $(measure "$base/api/v1/al/hello" 64)"
    stop_cluster
} | tee bench/cluster/results.txt
