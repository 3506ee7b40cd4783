#!/usr/bin/env bash
# Instructions the worker's Python runtime spends on one run of a hello-world auth-link call (handle.py), counted by
# valgrind: 2,000 runs minus none, after 200 runs of warm-up. Deterministic where this VM's timings move by ±30 %.
# Usage: bench/worker/handle.sh [runtime folder, default PythonWorker/Runtime]   (results: bench/worker/handle-results.txt)
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/prerequisites.sh
ensure_apt_packages valgrind python3
runtime=${1:-PythonWorker/Runtime}
count() {
    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        /usr/bin/python3 -B bench/worker/handle.py "$runtime" 200 "$1" 2>&1 | awk '/Collected/ { print $4 }'
}
none=$(count 0)
runs=$(count 2000)
echo "$runtime: $(( (runs - none) / 2000 )) instructions per run"
