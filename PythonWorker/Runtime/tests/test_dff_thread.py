"""DFF.THREAD with 1.x's interface, without a worker."""

import threading
import time
import unittest

from dff_thread import FuncThread, ThreadResultKeyDuplicated


class FuncThreadTests(unittest.TestCase):
    def test_results_and_errors_by_key(self):
        pool = FuncThread()
        pool.start(lambda a, b: a + b, args=[1, 2], key='sum')
        pool.start(lambda: 1 / 0, key='broken')
        self.assertEqual((3, None), pool.get_result(key='sum'))
        value, error = pool.get_result(key='broken')
        self.assertIsNone(value)
        self.assertIsInstance(error, ZeroDivisionError)
        self.assertEqual({'sum', 'broken'}, set(pool.get_result()))
        pool._finish()

    def test_nothing_started_gives_none_and_a_key_twice_is_refused(self):
        pool = FuncThread()
        self.assertIsNone(pool.get_result())
        pool.start(lambda: 1, key='k')
        with self.assertRaises(ThreadResultKeyDuplicated):
            pool.start(lambda: 2, key='k')
        pool._finish()

    def test_without_wait_a_running_task_has_no_result_yet(self):
        pool = FuncThread()
        release = threading.Event()
        pool.start(release.wait, key='slow')
        self.assertIsNone(pool.get_result(wait=False, key='slow'))
        self.assertFalse(pool.is_all_finished())
        release.set()
        pool.wait_all_finished()
        self.assertEqual((True, None), pool.get_result(wait=False, key='slow'))

    def test_finish_waits_for_what_runs_and_the_pool_size_is_bounded(self):
        pool = FuncThread()
        with self.assertRaises(ValueError):
            pool.set_pool_size(0)
        pool.set_pool_size(2)
        done = []
        for n in range(4):
            pool.start(lambda n=n: (time.sleep(0.05), done.append(n)))
        with self.assertRaises(RuntimeError):
            pool.set_pool_size(3)
        pool._finish()
        self.assertEqual(4, len(done))
        self.assertFalse(any(t.name.startswith('dff-thread') for t in threading.enumerate()))
