#!/usr/bin/env bash
# Installs what the tests need and runs every test: unit tests and tests against real PostgreSQL
# servers and real WebFront/Silo processes, then the web console's tests in Chromium.
# Prints "N passed, N failed, N skipped" at the end.
set -euo pipefail
cd "$(dirname "$0")"
. deploy/prerequisites.sh

ensure_test_prerequisites
ensure_traversable "$PWD/tests"
dotnet build OrleansFunc.sln -nologo -clp:ErrorsOnly
(cd tests/browser && npm ci --no-audit --no-fund --silent)

# Each run keeps its temporary folders (test PostgreSQL servers, data folders) under its own
# TMPDIR, so that concurrent runs from other checkouts are left alone by the cleanup below.
run_tmp=$(mktemp -d /tmp/orleansfunc-run-XXXXXX)
chmod 755 "$run_tmp"
log="$run_tmp/test.log"
status=0
# The tests that watch real minute boundaries (Category=Cron) mostly wait: they run in a test host of their own beside
# the others (each host runs two test classes at a time), which halves the wall time. Each host has a temporary folder
# of its own, as short as this one (a PostgreSQL socket path has at most 107 bytes), so their servers never meet.
cron_tmp=$(mktemp -d /tmp/orleansfunc-crn-XXXXXX)
chmod 755 "$cron_tmp"
cron_log="$run_tmp/cron.log"
TMPDIR="$cron_tmp" dotnet test OrleansFunc.sln --no-build -nologo --filter 'Category=Cron' > "$cron_log" 2>&1 &
cron_pid=$!
TMPDIR="$run_tmp" dotnet test OrleansFunc.sln --no-build -nologo --filter 'Category!=Cron' 2>&1 | tee "$log" || status=$?

# The worker runtime's own unit tests (Debian's Python, no worker): their counts join the others.
python_log="$run_tmp/python.log"
(cd PythonWorker/Runtime && /usr/bin/python3 -B -m unittest discover -s tests) 2>&1 | tee "$python_log" || status=$?

# The console in a real browser (node's test runner, TAP): its counts join the .NET ones.
browser_log="$run_tmp/browser.log"
(cd tests/browser && TMPDIR="$run_tmp" npm test) 2>&1 | tee "$browser_log" || status=$?

wait "$cron_pid" || status=$?
echo "== the minute-watching tests (Category=Cron)"
cat "$cron_log"
cat "$cron_log" >> "$log"

# The test host is ended without running its exit handlers: stop the test PostgreSQL servers
# (fast shutdown) and remove the test folders here.
for folder in "$run_tmp" "$cron_tmp"; do
    pkill -INT -f "postgres -D $folder/" 2>/dev/null || true
    # Data source servers (MariaDB, Redis, ...) live as long as the test host, which may end without stopping them:
    # their folders are in the host's TMPDIR.
    pkill -KILL -f -- "$folder/orleansfunc-tests-ds-" 2>/dev/null || true
done
for _ in $(seq 50); do pgrep -f "postgres -D ($run_tmp|$cron_tmp)/" >/dev/null || break; sleep 0.2; done

counts=$(grep -aoE 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" || true)
browser_counts=$(grep -aoE '^# (pass|fail|skipped) [0-9]+' "$browser_log" | awk '{ n[$2] = $3 } END { if (length(n)) printf "Failed: %d, Passed: %d, Skipped: %d", n["fail"], n["pass"], n["skipped"] }')
python_counts=$(awk '/^Ran [0-9]+ tests?/ { ran = $2 } /^(OK|FAILED)/ { f = 0; s = 0
        if (match($0, /failures=[0-9]+/)) f += substr($0, RSTART + 9, RLENGTH - 9)
        if (match($0, /errors=[0-9]+/)) f += substr($0, RSTART + 7, RLENGTH - 7)
        if (match($0, /skipped=[0-9]+/)) s = substr($0, RSTART + 8, RLENGTH - 8)
        found = 1 }
    END { if (found) printf "Failed: %d, Passed: %d, Skipped: %d", f, ran - f - s, s }' "$python_log")
# The CI keeps only the end of this output: name each failed test there with the start of its message and the
# first lines of the tests' own code its stack passed through (which call failed).
failures=$(awk '/^  Failed [^ ]/ { shown = 0; frames = 0; printing = 1; tracing = 0 }
    /^  Stack Trace:/ { printing = 0; tracing = 1 }
    /^  Standard Output Messages:/ { printing = 0; tracing = 0 }
    printing && shown++ < 12
    tracing && /OrleansFunc\.Tests\./ && frames++ < 4' "$log")
if [ -n "$failures" ]; then
    echo
    echo "== failed .NET tests"
    printf '%s\n' "$failures"
fi
summary=""
# Both .NET test hosts must have reported: one that broke before its counts is a failure, not fewer tests.
if [ "$(printf '%s\n' "$counts" | grep -c Passed)" -eq 2 ] && [ -n "$browser_counts" ] && [ -n "$python_counts" ]; then
    summary=$(printf '%s\n%s\n%s\n' "$counts" "$browser_counts" "$python_counts" | awk -F'[:,]' '{ f += $2; p += $4; s += $6 } END { printf "%d passed, %d failed, %d skipped", p, f, s }')
fi
echo
# No summary means a test run itself broke: count that as a failure.
echo "${summary:-0 passed, 1 failed, 0 skipped}"
[ -n "$summary" ] || status=1
rm -rf "$run_tmp" "$cron_tmp"
exit $status
