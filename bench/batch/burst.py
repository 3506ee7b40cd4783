"""Sends N batch calls as fast as T keep-alive connections can, then waits until every task has ended and fetches
every result through func-result. Prints the acknowledged count, the burst's and the queue's rates, and failures.
Usage: burst.py BASE_URL BATCH_ID N THREADS"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

base, batch, total, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
host = urllib.parse.urlparse(base)
task_ids, failures, lock = [], [], threading.Lock()


def each(worker, work):
    """Runs work(connection, i) for this thread's share of range(total) over one keep-alive connection."""
    connection = http.client.HTTPConnection(host.hostname, host.port)
    for i in range(worker, total, threads):
        try:
            work(connection, i)
        except Exception as e:  # a refused or broken call is counted, not fatal
            with lock:
                failures.append(repr(e))
            connection = http.client.HTTPConnection(host.hostname, host.port)


def call(connection, i):
    connection.request('POST', f'/api/v1/bat/{batch}', json.dumps({'kwargs': {'n': i}}), {'Content-Type': 'application/json'})
    answer = json.loads(connection.getresponse().read())
    if not answer.get('ok'):
        raise RuntimeError(answer)
    with lock:
        task_ids.append((i, answer['data']['taskId']))


def run_threads(work):
    started = time.time()
    pool = [threading.Thread(target=each, args=(w, work)) for w in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return time.time() - started


burst = run_threads(call)
print(f'acknowledged {len(task_ids)} of {total} calls in {burst:.1f} s ({len(task_ids) / burst:.0f} calls/s), {len(failures)} refused')

# Every result, once every task has ended: func-result answers the task's return value (n * 2).
pending = dict(task_ids)
wrong = []


def fetch(connection, i):
    if i not in pending:
        return
    while True:
        connection.request('GET', f'/api/v1/func-result?taskId={pending[i]}')
        answer = json.loads(connection.getresponse().read())
        if answer.get('ok') and answer['data'] is not None and answer['data'].get('status') not in ('queued', 'running', None):
            break
        time.sleep(0.5)
    if answer['data'].get('status') != 'success' or answer['data'].get('result') != i * 2:
        with lock:
            wrong.append((i, answer['data']))


drained = run_threads(fetch)
print(f'all results fetched {drained:.1f} s after the burst; {len(wrong)} wrong or failed: {wrong[:3]}')
if failures:
    print('first refusals:', failures[:3])
sys.exit(1 if wrong or failures else 0)
