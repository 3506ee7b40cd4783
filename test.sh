#!/usr/bin/env bash
# Installs what the tests need and runs every test: unit tests and tests against real PostgreSQL
# servers and real WebFront/Silo processes. Prints "N passed, N failed, N skipped" at the end.
set -euo pipefail
cd "$(dirname "$0")"
. deploy/prerequisites.sh

ensure_server_prerequisites
ensure_test_prerequisites
dotnet build OrleansFunc.sln -nologo -clp:ErrorsOnly

# Each run keeps its temporary folders (test PostgreSQL servers, data folders) under its own
# TMPDIR, so that concurrent runs from other checkouts are left alone by the cleanup below.
run_tmp=$(mktemp -d /tmp/orleansfunc-run-XXXXXX)
chmod 755 "$run_tmp"
log="$run_tmp/test.log"
status=0
TMPDIR="$run_tmp" dotnet test OrleansFunc.sln --no-build -nologo 2>&1 | tee "$log" || status=$?

# The test host is ended without running its exit handlers: stop the test PostgreSQL servers
# (fast shutdown) and remove the test folders here.
pkill -INT -f "postgres -D $run_tmp/" 2>/dev/null || true
# Data source servers (MariaDB, Redis, ...) that a broken test run left behind: their folders are in this run's TMPDIR.
pkill -KILL -f -- "$run_tmp/orleansfunc-tests-ds-" 2>/dev/null || true
for _ in $(seq 50); do pgrep -f "postgres -D $run_tmp/" >/dev/null || break; sleep 0.2; done

counts=$(grep -aoE 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" || true)
summary=""
if [ -n "$counts" ]; then
    summary=$(echo "$counts" | awk -F'[:,]' '{ f += $2; p += $4; s += $6 } END { printf "%d passed, %d failed, %d skipped", p, f, s }')
fi
echo
# No summary means the test run itself broke: count that as a failure.
echo "${summary:-0 passed, 1 failed, 0 skipped}"
[ -n "$summary" ] || status=1
rm -rf "$run_tmp"
exit $status
