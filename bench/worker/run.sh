#!/usr/bin/env bash
# How soon a Python worker says it is ready, and its memory idle 2 s later (see start.py): started as the silo starts
# it (its user and environment), without the sandbox, whose start is measured in bench/engine.
# Usage: bench/worker/run.sh [rounds] [variant ...]   (results: bench/worker/results.txt)
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/prerequisites.sh
ensure_server_prerequisites
[ "$(id -u)" -eq 0 ] || { echo "run as root: the worker is started as its own user, as the silo does" >&2; exit 1; }
id orleansfunc-worker >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin orleansfunc-worker
dotnet build PythonWorker/PythonWorker.csproj -c Release -nologo -clp:ErrorsOnly
program="$PWD/PythonWorker/bin/Release/net10.0"
ensure_traversable "$program"
rounds=${1:-10}
shift || true
/usr/bin/python3 bench/worker/start.py "$program/PythonWorker.dll" "$rounds" "$@"
