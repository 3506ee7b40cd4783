"""What a worker imports before its first run: each module is time and memory of every worker's start (a worker is
started for every script set in turn and after every 100,000 runs), so what only some runs need is imported by them."""

import os
import subprocess
import sys
import unittest

RUNTIME = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Imported only by the runs that use them: data sources, the publish check (signatures, hints, the review),
# DFF.THREAD's pool, REDIRECT, RESP_LARGE_DATA's file names, paho's patch, and `importlib.abc` (which brings
# `importlib.resources`, `pathlib` and `tempfile`).
LATER = ['dff_datasources', 'dff_review', 'inspect', 'typing', 'ast', 'concurrent.futures', 'logging', 'uuid',
         'urllib.parse', 'html', 'socket', 'importlib.abc', 'importlib.util', 'pathlib', 'tempfile', 'traceback']


class StartupImportTests(unittest.TestCase):
    def test_the_runtime_imports_no_module_of_the_rarer_runs(self):
        # A new interpreter, as a worker's: this test process has imported much more already.
        found = subprocess.run(
            [sys.executable, '-I', '-c', 'import sys; sys.path.insert(0, sys.argv[1]); import dff_runtime; '
                                         'print("\\n".join(sorted(sys.modules)))', RUNTIME],
            capture_output=True, text=True, check=True).stdout.split()
        self.assertIn('dff_runtime', found)
        self.assertEqual([], [name for name in LATER if name in found])


if __name__ == '__main__':
    unittest.main()
