"""DFF.THREAD: a thread pool a run can hand work to, with DataFlux Func 1.x's interface.

    DFF.THREAD.start(fn, args=None, kwargs=None, key=None)   # key: generated when None
    DFF.THREAD.get_result(wait=True, key=None)               # (retval, error) for a key, {key: (retval, error)} for all

A run's pool is its own: it is made at the first `start` and joined when the run ends, so nothing a
run started is still running when the worker takes the next run (a thread that outlives its run's
time limit keeps the worker from answering, and the silo kills the worker at the limit's grace).
`submit`, `set_pool_size`, `wait_all_finished` and `is_all_finished` are the later versions' names.

`concurrent.futures` (with `logging`) and `uuid` are imported by the runs that start a thread, not at every worker's
start.
"""


DEFAULT_POOL_SIZE = 5
MAX_POOL_SIZE = 20


class ThreadResultKeyDuplicated(Exception):
    pass


class FuncThread:
    """DFF.THREAD: a pool of threads of the run's own (start, get_result), joined when the run ends."""

    def __init__(self):
        self._pool = None
        self._pool_size = DEFAULT_POOL_SIZE
        self._futures = {}

    def set_pool_size(self, size):
        """The number of threads (1-20, default 5), before the first start."""
        if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= MAX_POOL_SIZE:
            raise ValueError('DFF.THREAD pool size must be between 1 and %d' % MAX_POOL_SIZE)
        if self._pool is not None:
            raise RuntimeError('DFF.THREAD pool size must be set before the first start')
        self._pool_size = size

    def start(self, fn, args=None, kwargs=None, key=None):
        """Runs fn(*args, **kwargs) in the pool; returns its result key."""
        if not callable(fn):
            raise TypeError('DFF.THREAD.start needs a function')
        import uuid
        from concurrent.futures import ThreadPoolExecutor
        key = key if key is not None else 'async-' + uuid.uuid4().hex
        if key in self._futures:
            raise ThreadResultKeyDuplicated('Thread result key already exists: `%s`' % (key,))
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self._pool_size, thread_name_prefix='dff-thread')
        self._futures[key] = self._pool.submit(fn, *(args or []), **(kwargs or {}))
        return key

    def submit(self, fn, *args, **kwargs):
        """Runs fn(*args, **kwargs) in the pool; returns its result key."""
        return self.start(fn, args, kwargs)

    def get_result(self, wait=True, key=None):
        """1.x: `(retval, error)` of one key (None when unknown or, without wait, not done yet),
        or a dict of every key's (None for the ones not done); None before anything started."""
        if not self._futures:
            return None
        wait = True if wait is None else wait
        keys = key if isinstance(key, (list, tuple)) else [key] if key is not None else list(self._futures)
        collected = {}
        for k in keys:
            future = self._futures.get(k)
            collected[k] = None if future is None or (not wait and not future.done()) else _outcome(future)
        return collected.get(key) if key is not None and not isinstance(key, (list, tuple)) else collected

    def is_all_finished(self):
        """Whether everything started has finished."""
        return all(future.done() for future in self._futures.values())

    def wait_all_finished(self):
        """Waits until everything started has finished."""
        from concurrent.futures import wait as wait_for
        wait_for(list(self._futures.values()))

    def _finish(self):
        """At the end of the run: waits for everything started (a script may start work it never collects, as 1.x
        let it), within the run's time limit."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


def _outcome(future):
    try:
        return future.result(), None
    except Exception as error:  # the thread's own failure is its result
        return None, error
