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
. bench/http/server.sh
start_bench_server WebFront/bin/Release/net10.0 18088 21111 23000
trap 'stop_bench_server $bench_pid $bench_data' EXIT
server=$bench_pid data=$bench_data base=$bench_base

memory() {
    # Resident MiB of WebFront and every worker it started.
    ps -eo rss,args | awk -v pid="$server" '/WebFront.dll|PythonWorker.dll/ && !/awk/ { total += $1 } END { printf "%.0f", total / 1024 }'
}

{
    echo "# $(date -u +%Y-%m-%dT%H:%MZ) bench/http/run.sh $seconds on $(nproc) cores"
    for path in /ping /api/v1/al/hello /api/v1/al/hello-throttled; do
        settled=$(warm_up "$base" "$data" "$path")
        echo "## GET $path ($settled)"
        before=$(busy_ticks) server_before=$(process_ticks "$server")
        (TIMEFORMAT='%U %S'; { time wrk -t2 -c64 -d"${seconds}s" --latency "$base$path" > "$data/wrk.txt"; } 2> "$data/wrk-cpu.txt") &
        wrk_pid=$!
        sleep $((seconds / 2))
        peak=$(memory)
        wait $wrk_pid
        after=$(busy_ticks) server_after=$(process_ticks "$server")
        cat "$data/wrk.txt"
        echo "server memory (WebFront + workers) mid-run: ${peak} MiB"
        # CPU time leaves out what the host's other guests take (steal): steadier than the rate on this VM.
        # Split: the WebFront process itself, and the rest (its workers, PostgreSQL, the kernel's work outside them).
        awk -v ticks=$((after - before)) -v own=$((server_after - server_before)) -v hz="$(getconf CLK_TCK)" \
            -v wrk="$(cat "$data/wrk-cpu.txt")" '
            /requests in/ {
                split(wrk, w, " "); all = (ticks / hz - w[1] - w[2]) * 1e6 / $1; mine = own / hz * 1e6 / $1
                printf "server CPU per call (all but wrk): %.0f us (WebFront %.0f, its workers and the rest %.0f; wrk %.0f)\n",
                    all, mine, all - mine, (w[1] + w[2]) * 1e6 / $1
            }
        ' "$data/wrk.txt"
    done
} | tee bench/http/results.txt
