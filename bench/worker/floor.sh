#!/usr/bin/env bash
# What a worker's start and idle memory cannot go below while it is a .NET process embedding CPython with pythonnet:
# the worker of HEAD, built in a scratch worktree with stops that say "ready" early, started by start.py beside the
# real worker in interleaved rounds.
#   dotnet     the worker's .NET process, its channel connected, nothing else (no type scan warm-up, no Python)
#   python     + CPython started isolated (IsolatedPython.Start), no pythonnet
#   pythonnet  + pythonnet's PythonEngine.Initialize (the warm-up as the worker does it), none of the runtime's modules
#   default    the worker as the silo starts it
# Usage: bench/worker/floor.sh [rounds]   (results: bench/worker/results.txt)
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/prerequisites.sh
ensure_server_prerequisites
[ "$(id -u)" -eq 0 ] || { echo "run as root: the worker is started as its own user, as the silo does" >&2; exit 1; }
id orleansfunc-worker >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin orleansfunc-worker
rounds=${1:-8}
scratch=$(mktemp -d /tmp/worker-floor-XXXXXX)
trap 'git worktree remove --force "$scratch/tree" >/dev/null 2>&1 || true; rm -rf "$scratch"' EXIT
git worktree add --detach "$scratch/tree" HEAD >/dev/null

# The stops: FLOOR names the stage after which the worker says ready and waits for the channel to close.
/usr/bin/python3 - "$scratch/tree/PythonWorker/Program.cs" <<'EOF'
import sys
path = sys.argv[1]
text = open(path).read()
stop = '    if (floor == "{0}") {{ channel.Send(MessageKind.Ready, "{{}}"); channel.Receive(); NativeExit.Now(0); }}\n'
edits = [
    ('var typeScanWarmUp = TypeScanWarmUp.Start();\n',
     'var floor = Environment.GetEnvironmentVariable("FLOOR");\n'
     'var typeScanWarmUp = floor is "dotnet" or "python" ? null : TypeScanWarmUp.Start();\n'),
    ('Runtime.PythonDLL = arguments.PythonLibrary;\n', 'Runtime.PythonDLL = arguments.PythonLibrary;\n' + stop.format('dotnet')),
    ('    IsolatedPython.Start(arguments.PythonLibrary);\n',
     '    IsolatedPython.Start(arguments.PythonLibrary);\n' + stop.format('python')),
    ('    typeScanWarmUp.Join();\n', '    typeScanWarmUp?.Join();\n'),
    ('    IsolatedPython.Attached();\n', '    IsolatedPython.Attached();\n' + stop.format('pythonnet')),
]
for old, new in edits:
    if text.count(old) != 1:
        sys.exit(f'floor.sh: PythonWorker/Program.cs changed, cannot place the stop at {old.strip()!r}')
    text = text.replace(old, new)
open(path, 'w').write(text)
EOF
dotnet build "$scratch/tree/PythonWorker/PythonWorker.csproj" -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build PythonWorker/PythonWorker.csproj -c Release -nologo -clp:ErrorsOnly >/dev/null
floor="$scratch/tree/PythonWorker/bin/Release/net10.0/PythonWorker.dll"
ensure_traversable "$(dirname "$floor")"
ensure_traversable "$PWD/PythonWorker/bin/Release/net10.0"
/usr/bin/python3 bench/worker/start.py "$PWD/PythonWorker/bin/Release/net10.0/PythonWorker.dll" "$rounds" \
    "dotnet:WORKER_DLL=$floor,FLOOR=dotnet" "python:WORKER_DLL=$floor,FLOOR=python" \
    "pythonnet:WORKER_DLL=$floor,FLOOR=pythonnet" default
