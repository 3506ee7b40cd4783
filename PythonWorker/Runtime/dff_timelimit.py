"""The time limit of a run, raised inside its code by an interval timer (SIGALRM).

The interval timer is set only when it would fire too late for the run starting: most runs end
long before their limit, so the next run reuses the timer already set (no system call per run).
When it fires early (for a run that has ended), the handler sets it again for the run now going."""

import signal
import time


class DffTimeout(BaseException):
    """Raised inside user code when a run passes its time limit (BaseException: `except Exception` cannot swallow it)."""


_deadline = None
_timer_fires_at = None


def on_alarm(signum, frame):
    global _timer_fires_at
    _timer_fires_at = None
    if _deadline is None:
        return
    remaining = _deadline - time.monotonic()
    if remaining > 0.001:
        _set_timer(remaining)
        return
    raise DffTimeout('Func ran past its time limit')


def _set_timer(seconds):
    global _timer_fires_at
    _timer_fires_at = time.monotonic() + seconds
    signal.setitimer(signal.ITIMER_REAL, seconds)


def arm(seconds):
    global _deadline
    seconds = max(float(seconds), 0.001)
    _deadline = time.monotonic() + seconds
    if _timer_fires_at is None or _timer_fires_at > _deadline:
        _set_timer(seconds)


def disarm():
    global _deadline
    _deadline = None
