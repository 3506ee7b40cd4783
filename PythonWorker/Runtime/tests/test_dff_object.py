"""The DFF object's members are made when a script first uses them, once per run, without a worker."""

import threading
import time
import unittest

from dff_object import Context, Dff, DataSources, EnvVariables, _OfTheRun
from dff_thread import FuncThread


class _Run:
    script_id = 'demo__main'
    lists_funcs = False
    env_cache = {}
    secrets = set()

    def print_var(self, *values, **named):
        pass


class LazyMemberTests(unittest.TestCase):
    def test_a_member_is_made_on_first_use_and_kept_for_the_run(self):
        dff = Dff(_Run())
        self.assertNotIn('CTX', vars(dff))
        context = dff.CTX
        self.assertIsInstance(context, Context)
        self.assertIs(context, dff.CTX)
        self.assertIs(context, dff.ctx)  # the lower-case name of 1.x
        self.assertIsInstance(dff.ENV, EnvVariables)
        self.assertIs(dff.ENV._run, dff._run)

    def test_each_run_has_its_own_members(self):
        first, second = Dff(_Run()), Dff(_Run())
        first.CTX.set('k', 1)
        self.assertFalse(second.CTX.has('k'))

    def test_conn_is_src_and_constants_are_the_functions(self):
        dff = Dff(_Run())
        self.assertIsInstance(dff.SRC, DataSources)
        self.assertIs(dff.CONN, dff.SRC)
        self.assertIs(dff.EVAL, eval)
        self.assertEqual(dff.VAR, dff._run.print_var)
        self.assertIsNone(dff.NO_SUCH_MEMBER)

    def test_a_script_may_replace_a_member_as_before(self):
        dff = Dff(_Run())
        for name in ('CTX', 'CONN', 'VAR', 'SQL', 'THREAD'):
            setattr(dff, name, 'replaced')
            self.assertEqual('replaced', getattr(dff, name))

    def test_threads_are_finished_only_when_the_run_used_them(self):
        dff = Dff(_Run())
        dff._finish_threads()
        self.assertNotIn('THREAD', vars(dff))
        self.assertIsInstance(dff.THREAD, FuncThread)
        dff.THREAD.start(lambda: 1, key='k')
        dff._finish_threads()
        self.assertEqual((1, None), dff.THREAD.get_result(key='k'))

    def test_threads_using_a_member_first_at_once_share_it(self):
        class Holder:
            _run = None
            # Slow to make, so that every thread is inside the factory before any has stored what it made.
            member = _OfTheRun(lambda holder: time.sleep(0.05) or object())

        holder = Holder()
        start = threading.Barrier(4)
        seen = []

        def use():
            start.wait()
            seen.append(holder.member)

        threads = [threading.Thread(target=use) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(4, len(seen))
        self.assertTrue(all(member is holder.member for member in seen))

if __name__ == '__main__':
    unittest.main()
