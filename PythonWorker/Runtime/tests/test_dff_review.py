"""The migration notes of a 1.x script, without a worker."""

import unittest

from dff_review import review


class ReviewTests(unittest.TestCase):
    def names(self, code):
        return [(n['line'], n['name']) for n in review(code, 'set__s')]

    def test_a_clean_script_has_no_note(self):
        self.assertEqual([], self.names("import json\nimport other__lib\nfrom __lib import f\n\n@DFF.API('T', timeout=3)\ndef f():\n"
                                        "    return DFF.ENV('x'), DFF.CACHE.get('k'), _DFF_TASK_ID, _DFF_SCRIPT_ID\n"))

    def test_dff_members_and_options_of_another_meaning(self):
        code = ("@DFF.API('T', queue=9, integration='login')\ndef f():\n    DFF.SIGN('a')\n    DFF.src.save('x', 'mysql', {})\n"
                "    return _DFF_WORKER_QUEUE\n\n@DFF.API('A', integration='autoRun', integration_config={'crontab': '* * * * *'})\ndef g():\n    pass\n")
        self.assertEqual([(1, 'DFF.API(queue=)'), (3, 'DFF.SIGN'), (4, 'DFF.SRC.save'),
                          (5, '_DFF_WORKER_QUEUE')], self.names(code))

    def test_what_python_3_8_to_3_11_removed(self):
        code = ("import time, collections, parser\nfrom collections import Mapping\nimport json as j\nimport inspect as i\n"
                "t = time.clock()\nc = collections.OrderedDict()\nx = i.getargspec(len)\nthread.isAlive()\njson.loads('1', encoding='utf8')\n")
        self.assertEqual([(1, 'parser'), (2, 'collections.Mapping'), (5, 'time.clock'), (7, 'inspect.getargspec'), (8, 'isAlive'),
                          (9, 'json.loads(encoding=)')], self.names(code))

    def test_modules_not_installed_here(self):
        self.assertEqual([(1, 'no_such_module_here')], self.names('import no_such_module_here\nimport os.path\n'))

    def test_code_that_does_not_parse_has_no_note(self):
        self.assertEqual([], review('def f(:\n', 'set__s'))
