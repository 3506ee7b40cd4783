"""The time limit raised inside running code by SIGALRM, without a worker."""

import signal
import time
import unittest

import dff_timelimit
from dff_timelimit import DffTimeout


class TimeLimitTests(unittest.TestCase):
    def setUp(self):
        self._previous = signal.signal(signal.SIGALRM, dff_timelimit.on_alarm)

    def tearDown(self):
        dff_timelimit.disarm()
        signal.setitimer(signal.ITIMER_REAL, 0)
        dff_timelimit._timer_fires_at = None
        signal.signal(signal.SIGALRM, self._previous)

    def test_code_past_its_limit_is_interrupted(self):
        dff_timelimit.arm(0.05)
        with self.assertRaises(DffTimeout):
            while True:
                pass

    def test_except_exception_cannot_swallow_it(self):
        dff_timelimit.arm(0.05)
        with self.assertRaises(DffTimeout):
            while True:
                try:
                    time.sleep(0.01)
                except Exception:
                    pass

    def test_a_timer_left_by_a_longer_run_is_moved_for_a_shorter_one(self):
        dff_timelimit.arm(30)
        dff_timelimit.disarm()
        dff_timelimit.arm(0.05)
        with self.assertRaises(DffTimeout):
            time.sleep(5)

    def test_a_timer_that_fires_for_an_ended_run_does_not_stop_the_next(self):
        dff_timelimit.arm(0.02)
        dff_timelimit.disarm()
        dff_timelimit.arm(0.3)
        # The first timer fires while this run has time left: it is set again, and this sleep ends.
        time.sleep(0.1)
        dff_timelimit.disarm()


if __name__ == '__main__':
    unittest.main()
