#!/usr/bin/env bash
# What metrics and tracing cost on the hot path: a hello-world auth link against /ping of the same process, with wrk
# (2 threads, 64 connections), for each telemetry setting in turn on a fresh server:
#   off        OrleansFunc:Telemetry:Metrics=false, no OTLP
#   metrics    our and ASP.NET Core's instruments recorded for /metrics, not Orleans' (no scraper; a scrape every 15 s costs ~nothing)
#   orleans    metrics with Orleans' own meter too (OrleansMetrics=true, the default)
#   traced     metrics (not Orleans') + traces of every call pushed over OTLP to a local sink (TraceSampleRatio 1)
#   sampled    as traced, 1 call in 10 traced (TraceSampleRatio 0.1)
# Each round starts every setting once, in turn (so drift of a shared machine hits them alike); the summary gives each
# setting's median link calls/s over the rounds and its ratio to "off".
# Usage: bench/telemetry/run.sh [seconds] [rounds] ["settings ..."]   (results: bench/telemetry/results.txt)
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh
bench_prepare wrk
seconds=${1:-10}
rounds=${2:-3}
settings=${3:-off metrics orleans traced sampled}  # the first is the one the others are compared with
port=18089
base="http://127.0.0.1:$port"

# The OTLP sink: takes every POST, answers 200 (what a collector does, minus the work).
sink_port=18318
python3 - "$sink_port" <<'PY' &
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class Sink(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        self.send_response(200); self.send_header('Content-Length', '0'); self.end_headers()
    def log_message(self, *args): pass
ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), Sink).serve_forever()
PY
sink=$!
server=""
trap 'kill $sink ${server:-} 2>/dev/null; wait 2>/dev/null' EXIT

calls_per_second() { wrk -t2 -c64 -d"${seconds}s" "$1" | awk '/Requests\/sec/ { print $2 }'; }

# Runs wrk on the link and prints "calls/s µs-of-CPU-per-call", the CPU being the server's with its workers: the CPU a
# call costs moves much less with the machine's other load than the calls a second do.
link_cost() {
    local before out
    before=$(tree_cpu "$server")
    out=$(wrk -t2 -c64 -d"${seconds}s" "$base/api/v1/al/hello")
    python3 -c 'import sys; calls, rate, before, after = sys.argv[1:]; print(rate, round((float(after) - float(before)) / int(calls) * 1e6, 1))' \
        "$(awk '/requests in/ { print $1 }' <<<"$out")" "$(awk '/Requests\/sec/ { print $2 }' <<<"$out")" "$before" "$(tree_cpu "$server")"
}

run() {
    local name=$1; shift
    local data
    data=$(mktemp -d /tmp/orleansfunc-bench-XXXXXX)
    chmod 755 "$data"
    env "$@" ORLEANSFUNC_DATA="$data" ORLEANSFUNC_HTTP_PORT=$port OrleansFunc__Cluster__SiloPort=21112 OrleansFunc__Cluster__GatewayPort=23001 \
        dotnet WebFront/bin/Release/net10.0/WebFront.dll > "$data/server.log" 2>&1 &
    server=$!
    for _ in $(seq 120); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.5; done
    bench_sign_in "$base"
    bench_publish "$base" '@DFF.API(\"Hello\")\ndef hello():\n    return {\"hello\": \"world\"}\n'
    curl -sf -X POST "$base/api/v1/auth-links" -H "$auth" -H "$bench_json" -d '{"id":"hello","funcId":"bench__main.hello"}' >/dev/null
    curl -sf "$base/api/v1/al/hello" | grep -q world
    wrk -t2 -c64 -d5s "$base/api/v1/al/hello" >/dev/null  # warm-up
    local ping link cost
    ping=$(calls_per_second "$base/ping")
    read -r link cost < <(link_cost)
    printf '%-8s /ping %9.0f/s   link %8.0f/s   link/ping %.3f   server CPU %6.1f µs/call\n' "$name" "$ping" "$link" "$(echo "$link / $ping" | bc -l)" "$cost"
    echo "$name $link $cost" >> "$tally"
    kill $server; wait $server 2>/dev/null || true
    server=""
    rm -rf "$data"
}

otlp=(OrleansFunc__Telemetry__OtlpEndpoint="http://127.0.0.1:$sink_port")
tally=$(mktemp)
{
    echo "# $(date -u +%Y-%m-%dT%H:%MZ) bench/telemetry/run.sh $seconds $rounds on $(nproc) cores"
    for round in $(seq "$rounds"); do
        echo "## round $round"
        for setting in $settings; do
            case $setting in
                off) run off OrleansFunc__Telemetry__Metrics=false ;;
                metrics) run metrics OrleansFunc__Telemetry__Metrics=true OrleansFunc__Telemetry__OrleansMetrics=false ;;
                orleans) run orleans OrleansFunc__Telemetry__OrleansMetrics=true ;;
                traced) run traced "${otlp[@]}" OrleansFunc__Telemetry__OrleansMetrics=false OrleansFunc__Telemetry__TraceSampleRatio=1 ;;
                sampled) run sampled "${otlp[@]}" OrleansFunc__Telemetry__OrleansMetrics=false OrleansFunc__Telemetry__TraceSampleRatio=0.1 ;;
                *) echo "unknown setting $setting" >&2; exit 2 ;;
            esac
        done
    done
    echo "## median link calls/s and server CPU per call over $rounds rounds, each against the first setting"
    python3 - "$tally" <<'PY'
import statistics, sys
rates, costs = {}, {}
for line in open(sys.argv[1]):
    name, rate, cost = line.split()
    rates.setdefault(name, []).append(float(rate))
    costs.setdefault(name, []).append(float(cost))
first = next(iter(rates))
off_rate, off_cost = statistics.median(rates[first]), statistics.median(costs[first])
for name in rates:
    rate, cost = statistics.median(rates[name]), statistics.median(costs[name])
    print(f"{name:8} {rate:8.0f}/s  {rate / off_rate:6.3f} of {first}  ({', '.join(f'{v:.0f}' for v in rates[name])})"
          f"   {cost:6.1f} µs/call  {cost / off_cost:6.3f} of {first}  ({', '.join(f'{v:.1f}' for v in costs[name])})")
PY
} | tee bench/telemetry/results.txt
rm -f "$tally"
