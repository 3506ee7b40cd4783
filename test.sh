#!/usr/bin/env bash
# Installs what the tests need and runs every test: unit tests and tests against real PostgreSQL
# servers and real WebFront/Silo processes. Prints "N passed, N failed, N skipped" at the end.
set -euo pipefail
cd "$(dirname "$0")"
. deploy/prerequisites.sh

ensure_server_prerequisites
dotnet build OrleansFunc.sln -nologo -clp:ErrorsOnly

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test OrleansFunc.sln --no-build -nologo 2>&1 | tee "$log" || status=$?

# The test host is ended without running its exit handlers: stop the test PostgreSQL servers
# (fast shutdown) and remove the test folders here.
pkill -INT -f 'postgres -D /tmp/orleansfunc-tests-' 2>/dev/null || true
for _ in $(seq 50); do pgrep -f 'postgres -D /tmp/orleansfunc-tests-' >/dev/null || break; sleep 0.2; done
rm -rf /tmp/orleansfunc-tests-*

counts=$(grep -aoE 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" || true)
summary=""
if [ -n "$counts" ]; then
    summary=$(echo "$counts" | awk -F'[:,]' '{ f += $2; p += $4; s += $6 } END { printf "%d passed, %d failed, %d skipped", p, f, s }')
fi
echo
# No summary means the test run itself broke: count that as a failure.
echo "${summary:-0 passed, 1 failed, 0 skipped}"
[ -n "$summary" ] || status=1
exit $status
