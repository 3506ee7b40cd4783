# Sourced by bench/http/run.sh and compare.sh: one bench server and what is measured on it.

# start_bench_server BUILD_DIR PORT SILO_PORT GATEWAY_PORT [NAME=VALUE ...]: starts the WebFront.dll of BUILD_DIR, with
# those variables in its environment, on a temporary embedded database (2 sync workers), publishes hello() returning a
# dict behind the link "hello" and behind "hello-throttled" (bySecond 1,000,000: every call is counted in the link's
# grain, none refused). Sets bench_pid, bench_data, bench_base.
start_bench_server() {
    local build=$1 port=$2 silo=$3 gateway=$4
    shift 4
    bench_data=$(mktemp -d /tmp/orleansfunc-bench-XXXXXX)
    chmod 755 "$bench_data"
    (
        export ORLEANSFUNC_DATA="$bench_data" ORLEANSFUNC_HTTP_PORT=$port
        export OrleansFunc__Cluster__SiloPort=$silo OrleansFunc__Cluster__GatewayPort=$gateway Logging__LogLevel__Default=Warning
        cd "$build" && exec env "$@" dotnet WebFront.dll
    ) > "$bench_data/server.log" 2>&1 &
    bench_pid=$!
    bench_base="http://127.0.0.1:$port"
    for _ in $(seq 120); do curl -sf "$bench_base/healthz" >/dev/null && break; sleep 0.5; done

    local json='Content-Type: application/json' token auth
    curl -sf -X POST "$bench_base/api/v1/setup" -H "$json" -d '{"username":"bench","password":"bench-password"}' >/dev/null
    token=$(curl -sf -X POST "$bench_base/api/v1/auth/sign-in" -H "$json" -d '{"username":"bench","password":"bench-password"}' |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["token"])')
    auth="X-Dff-Auth-Token: $token"
    curl -sf -X POST "$bench_base/api/v1/script-sets" -H "$auth" -H "$json" -d '{"id":"bench"}' >/dev/null
    curl -sf -X POST "$bench_base/api/v1/scripts" -H "$auth" -H "$json" \
        -d '{"id":"bench__hello","codeDraft":"@DFF.API(\"Hello\")\ndef hello():\n    return {\"hello\": \"world\"}\n"}' >/dev/null
    curl -sf -X POST "$bench_base/api/v1/scripts/bench__hello/publish" -H "$auth" -H "$json" >/dev/null
    curl -sf -X POST "$bench_base/api/v1/auth-links" -H "$auth" -H "$json" -d '{"id":"hello","funcId":"bench__hello.hello"}' >/dev/null
    curl -sf -X POST "$bench_base/api/v1/auth-links" -H "$auth" -H "$json" \
        -d '{"id":"hello-throttled","funcId":"bench__hello.hello","throttling":{"bySecond":1000000}}' >/dev/null
    curl -sf "$bench_base/api/v1/al/hello" | grep -q world
}

# stop_bench_server PID DATA (either may be empty: a server not started yet)
stop_bench_server() {
    if [ -n "$1" ]; then
        kill "$1" 2>/dev/null
        wait "$1" 2>/dev/null || true
    fi
    if [ -n "$2" ]; then
        rm -rf "$2"
    fi
}

# busy_ticks: every CPU's user, nice, system, irq and softirq ticks (not idle, iowait or steal, the host's other guests'
# share): the servers, their workers and PostgreSQL, the kernel's work for them, plus wrk, which is subtracted. Counting
# a server's process tree instead lost the workers replaced during a run (killed with their sandbox, nobody reaps them
# into a parent's cutime).
busy_ticks() {
    awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat
}

# process_ticks PID: the CPU ticks (user and system) of one process's threads so far.
process_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# thread_switches PID: each thread's voluntary and involuntary context switches so far, a line "TID COUNT" per thread.
thread_switches() {
    local task
    for task in /proc/"$1"/task/*; do
        awk -v tid="${task##*/}" '/ctxt_switches/ { s += $2 } END { if (NR) print tid, s }' "$task/status" 2>/dev/null || true
    done
}

# switches_since PID FILE: the context switches of PID's threads since FILE was written by thread_switches, summed per
# thread (a thread that ended in between takes its own with it; one that started counts from zero).
switches_since() {
    thread_switches "$1" | awk 'NR == FNR { before[$1] = $2; next } { s += $2 - before[$1] } END { print s + 0 }' "$2" -
}

# runtime_counter BASE DATA NAME: one of the .NET runtime's counters on the server's /metrics (read with the scrape token).
runtime_counter() {
    curl -sf -H "Authorization: Bearer $(cat "$2/metrics.token")" "$1/metrics" | awk -v name="$3" '$1 == name || index($1, name "{") == 1 { print $2 }'
}

# jit_seconds BASE DATA: the server's JIT time so far.
jit_seconds() {
    runtime_counter "$1" "$2" dotnet_jit_compilation_time_seconds_total
}

# allocated_bytes BASE DATA: what the server's code allocated so far; per call it moves by bytes, not by the host's noise.
allocated_bytes() {
    runtime_counter "$1" "$2" dotnet_gc_heap_total_allocated_bytes_total
}

# warm_up BASE DATA PATH: load until the JIT has settled (under 50 ms of compiling in a 5 s round, at most 130 s): it
# re-compiles the hot path (tiered, with PGO) for tens of seconds after the first calls, and a profile 15-25 s into the
# link's load found half of the server's CPU in its compiler. Prints what it waited for.
warm_up() {
    local warm=10 settled="the JIT still compiling after" before
    curl -sf "$1$3" >/dev/null
    wrk -t2 -c64 -d10s "$1$3" >/dev/null
    while [ $warm -lt 130 ]; do
        before=$(jit_seconds "$1" "$2")
        wrk -t2 -c64 -d5s "$1$3" >/dev/null
        warm=$((warm + 5))
        if awk -v a="$before" -v b="$(jit_seconds "$1" "$2")" 'BEGIN { exit !(b - a < 0.05) }'; then
            settled="the JIT under 50 ms in the last 5 s of"
            break
        fi
    done
    echo "$settled ${warm} s of warm-up"
}
