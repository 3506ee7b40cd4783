"""Runs the worker's `handle` on the request of a hello-world auth-link call (link-request.json, as the silo writes it),
as the .NET worker does for each run frame, outside the worker: the Python part of a run alone.

    /usr/bin/python3 bench/worker/handle.py RUNTIME_FOLDER WARMUP RUNS

handle.sh counts the instructions of RUNS handles under valgrind, which this shared VM's noise does not move.
"""
import json
import os
import sys

runtime_folder, warmup, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sys.path.insert(0, runtime_folder)
import dff_runtime  # noqa: E402

CODE = '@DFF.API("Hello")\ndef hello():\n    return {"hello": "world"}\n'


class Silo:
    """The silo's side of a callback: the only one a hello-world run asks is its code, once."""

    def Callback(self, name, arguments):
        return json.dumps({'ok': True, 'value': CODE})


# As the worker installs the runtime: its audit hook, importers and alarm handler are part of every run.
dff_runtime.install(Silo())
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'link-request.json')) as source:
    request = source.read()
answer = json.loads(dff_runtime.handle(request))
assert answer['status'] == 'success' and answer['result'] == {'hello': 'world'}, answer
for _ in range(warmup + runs):
    dff_runtime.handle(request)
