#!/usr/bin/env bash
# Calls/s and latency of a hello-world auth link (without and with throttling) against the plain /ping
# endpoint of the same process, with wrk (2 threads, 64 connections), plus the server's memory (WebFront + workers).
# Usage: bench/http/run.sh [seconds]   (results: bench/http/results.txt)
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/prerequisites.sh
ensure_server_prerequisites
ensure_apt_packages wrk
seconds=${1:-10}

dotnet build WebFront/WebFront.csproj -c Release -nologo -clp:ErrorsOnly
data=$(mktemp -d /tmp/orleansfunc-bench-XXXXXX)
chmod 755 "$data"
port=18088
export ORLEANSFUNC_DATA="$data" ORLEANSFUNC_HTTP_PORT=$port OrleansFunc__Cluster__SiloPort=21111 OrleansFunc__Cluster__GatewayPort=23000
export Logging__LogLevel__Default=Warning
(cd WebFront && exec dotnet bin/Release/net10.0/WebFront.dll) > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 120); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.5; done

json='Content-Type: application/json'
curl -sf -X POST "$base/api/v1/setup" -H "$json" -d '{"username":"bench","password":"bench-password"}' >/dev/null
token=$(curl -sf -X POST "$base/api/v1/auth/sign-in" -H "$json" -d '{"username":"bench","password":"bench-password"}' |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["token"])')
auth="X-Dff-Auth-Token: $token"
curl -sf -X POST "$base/api/v1/script-sets" -H "$auth" -H "$json" -d '{"id":"bench"}' >/dev/null
curl -sf -X POST "$base/api/v1/scripts" -H "$auth" -H "$json" \
    -d '{"id":"bench__hello","codeDraft":"@DFF.API(\"Hello\")\ndef hello():\n    return {\"hello\": \"world\"}\n"}' >/dev/null
curl -sf -X POST "$base/api/v1/scripts/bench__hello/publish" -H "$auth" -H "$json" >/dev/null
curl -sf -X POST "$base/api/v1/auth-links" -H "$auth" -H "$json" -d '{"id":"hello","funcId":"bench__hello.hello"}' >/dev/null
# The same func behind a limit high enough never to refuse: every call is counted in the link's grain.
curl -sf -X POST "$base/api/v1/auth-links" -H "$auth" -H "$json" \
    -d '{"id":"hello-throttled","funcId":"bench__hello.hello","throttling":{"bySecond":1000000}}' >/dev/null
curl -sf "$base/api/v1/al/hello" | grep -q world

memory() {
    # Resident MiB of WebFront and every worker it started.
    ps -eo rss,args | awk -v pid="$server" '/WebFront.dll|PythonWorker.dll/ && !/awk/ { total += $1 } END { printf "%.0f", total / 1024 }'
}

busy_ticks() {
    # Every CPU's user, nice, system, irq and softirq ticks (not idle, iowait or steal, the host's other guests' share):
    # the server, its workers, its PostgreSQL and the kernel's work for them, plus wrk, which is subtracted. Counting
    # the server's process tree instead lost the workers replaced during a run (killed with their sandbox, nobody
    # reaps them into a parent's cutime).
    awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat
}

jit_seconds() {
    # The server's JIT time so far (the .NET runtime's counter on /metrics, read with the scrape token).
    curl -sf -H "Authorization: Bearer $(cat "$data/metrics.token")" "$base/metrics" |
        awk '/^dotnet_jit_compilation_time_seconds_total/ { print $2 }'
}

{
    echo "# $(date -u +%Y-%m-%dT%H:%MZ) bench/http/run.sh $seconds on $(nproc) cores"
    for path in /ping /api/v1/al/hello /api/v1/al/hello-throttled; do
        curl -sf "$base$path" >/dev/null
        # Warm-up until the JIT has settled: it re-compiles the hot path (tiered, with PGO) for tens of seconds after the
        # first calls, and a profile 15-25 s into the link's load found half of the server's CPU in its compiler.
        wrk -t2 -c64 -d10s "$base$path" >/dev/null
        warm=10 settled="the JIT still compiling after"
        while [ $warm -lt 130 ]; do
            jit_before=$(jit_seconds)
            wrk -t2 -c64 -d5s "$base$path" >/dev/null
            warm=$((warm + 5))
            if awk -v a="$jit_before" -v b="$(jit_seconds)" 'BEGIN { exit !(b - a < 0.05) }'; then
                settled="the JIT under 50 ms in the last 5 s of"
                break
            fi
        done
        echo "## GET $path ($settled ${warm} s of warm-up)"
        before=$(busy_ticks)
        (TIMEFORMAT='%U %S'; { time wrk -t2 -c64 -d"${seconds}s" --latency "$base$path" > "$data/wrk.txt"; } 2> "$data/wrk-cpu.txt") &
        wrk_pid=$!
        sleep $((seconds / 2))
        peak=$(memory)
        wait $wrk_pid
        after=$(busy_ticks)
        cat "$data/wrk.txt"
        echo "server memory (WebFront + workers) mid-run: ${peak} MiB"
        # CPU time leaves out what the host's other guests take (steal): steadier than the rate on this VM.
        awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" -v wrk="$(cat "$data/wrk-cpu.txt")" '
            /requests in/ { split(wrk, w, " "); printf "server CPU per call (all but wrk): %.0f us\n", (ticks / hz - w[1] - w[2]) * 1e6 / $1 }
        ' "$data/wrk.txt"
    done
} | tee bench/http/results.txt
