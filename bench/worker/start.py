"""Starts one Python worker at a time as the silo does (its user, its environment, no sandbox), answers its channel,
and prints how long it took to say it is ready and its memory 2 s later, idle.

    /usr/bin/python3 bench/worker/start.py WORKER_DLL ROUNDS [VARIANT ...]

A variant is a label and environment settings for the worker (NAME=VALUE, comma-separated), so that settings can be
compared in interleaved rounds: `default` `tc-off:DOTNET_TieredCompilation=0`. The label `apphost` starts the
program's own executable instead of `dotnet PROGRAM.dll`. The setting `WORKER_DLL=PATH` starts another build instead
of WORKER_DLL, so that two builds are compared in interleaved rounds too: `before:WORKER_DLL=/tmp/before/PythonWorker.dll`.
"""
import os
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

PYTHON_LIBRARY = '/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0'
WORKER_USER = 'orleansfunc-worker'
READY = 1


def parse_variant(text):
    label, _, settings = text.partition(':')
    env = dict(pair.split('=', 1) for pair in settings.split(',') if pair)
    return label, env


def read_frame(connection):
    header = b''
    while len(header) < 5:
        chunk = connection.recv(5 - len(header))
        if not chunk:
            raise EOFError('the worker closed its channel')
        header += chunk
    length, kind = struct.unpack('>IB', header)
    body = b''
    while len(body) < length - 1:
        body += connection.recv(length - 1 - len(body))
    return kind, body


def memory_kib(pid):
    values = {}
    with open(f'/proc/{pid}/smaps_rollup') as rollup:
        for line in rollup:
            name, _, rest = line.partition(':')
            if name in ('Rss', 'Pss', 'Anonymous'):
                values[name] = int(rest.split()[0])
    return values


def start_once(worker_dll, label, extra_env):
    extra_env = dict(extra_env)
    worker_dll = extra_env.pop('WORKER_DLL', worker_dll)
    folder = tempfile.mkdtemp(prefix='worker-bench-')
    os.chmod(folder, 0o777)
    path = os.path.join(folder, 'channel')
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    os.chmod(path, 0o777)
    listener.listen(1)
    program = [worker_dll[:-len('.dll')]] if label == 'apphost' else ['dotnet', worker_dll]
    command = ['setpriv', f'--reuid={WORKER_USER}', f'--regid={WORKER_USER}', '--clear-groups', '--no-new-privs', '--',
               *program, '--socket', path, '--python-library', PYTHON_LIBRARY, '--max-processes', '0']
    env = {'PATH': '/usr/local/bin:/usr/bin:/bin', 'HOME': folder, 'LANG': 'C.UTF-8', 'DOTNET_gcServer': '0',
           'DOTNET_TieredPGO': '0', 'DOTNET_EnableDiagnostics': '0', **extra_env}
    if os.environ.get('DOTNET_ROOT'):
        env['DOTNET_ROOT'] = os.environ['DOTNET_ROOT']
    began = time.perf_counter()
    worker = subprocess.Popen(command, env=env, cwd=folder, stdin=subprocess.DEVNULL)
    connection, _ = listener.accept()
    kind, _ = read_frame(connection)
    ready_ms = (time.perf_counter() - began) * 1000
    if kind != READY:
        raise RuntimeError(f'expected a ready frame, got kind {kind}')
    time.sleep(2)
    memory = memory_kib(worker.pid)
    connection.close()
    worker.wait(10)
    listener.close()
    os.unlink(path)
    os.rmdir(folder)
    return ready_ms, memory


def main():
    worker_dll, rounds = sys.argv[1], int(sys.argv[2])
    variants = [parse_variant(v) for v in (sys.argv[3:] or ['default'])]
    results = {label: [] for label, _ in variants}
    for _ in range(rounds):
        for label, env in variants:
            results[label].append(start_once(worker_dll, label, env))
    for label, runs in results.items():
        ready = [r for r, _ in runs]
        rss = [m['Rss'] / 1024 for _, m in runs]
        pss = [m['Pss'] / 1024 for _, m in runs]
        anonymous = [m['Anonymous'] / 1024 for _, m in runs]
        print(f'{label:12} ready ms median {statistics.median(ready):6.0f} (min {min(ready):4.0f}, max {max(ready):4.0f})'
              f'  idle MiB: rss {statistics.median(rss):5.1f}  pss {statistics.median(pss):5.1f}'
              f'  anonymous {statistics.median(anonymous):5.1f}')


if __name__ == '__main__':
    main()
