"""The publish check's rules, without a worker."""

import unittest

from dff_check import DffCheckError, check_api_options, check_indentation, describe_func


class IndentationTests(unittest.TestCase):
    def test_four_spaces_pass(self):
        check_indentation('def f():\n    if True:\n        return 1\n')

    def test_tabs_are_refused_at_their_line(self):
        with self.assertRaises(DffCheckError) as refused:
            check_indentation('def f():\n\treturn 1\n')
        self.assertEqual(2, refused.exception.line)

    def test_two_spaces_are_refused(self):
        with self.assertRaisesRegex(DffCheckError, 'multiples of 4'):
            check_indentation('def f():\n  return 1\n')

    def test_broken_code_is_left_to_compile(self):
        check_indentation('def f(:\n')


class ApiOptionTests(unittest.TestCase):
    def test_known_options_with_valid_values_pass(self):
        check_api_options('Title', {'category': 'ops', 'tags': ['a'], 'timeout': 10, 'cache_result': 1.5,
                                    'fixed_crontab': '* * * * *', 'delayed_crontab': [0, 5], 'is_hidden': True})

    def test_every_option_of_1x_is_accepted(self):
        check_api_options('Title', {'queue': 9, 'fixed_task_info_limit': 100, 'integration': 'autoRun',
                                    'integration_config': {'crontab': '*/5 * * * *', 'onLaunch': True, 'onPublish': True},
                                    'hint': {'any': ['json']}, 'kwargs_hint': {'n': {'type': 'int'}}, 'is_disabled': False,
                                    'api_timeout': 10})
        check_api_options(None, {'queue': 'cpu'})

    def test_integration_spellings_of_1x_are_normalised(self):
        for spelling, meant in [('login', 'signIn'), ('sign_in', 'signIn'), ('auto_run', 'autoRun'), ('autoRun', 'autoRun')]:
            options = {'integration': spelling}
            check_api_options(None, options)
            self.assertEqual(meant, options['integration'])
        options = {'integration': 'autoRun', 'integration_config': {'crontab': '0 * * * *', 'onPublish': True}}
        check_api_options(None, options)
        self.assertEqual({'cronExpr': '0 * * * *', 'onScriptPublish': True}, options['integration_config'])

    def test_a_bad_auto_run_config_is_refused(self):
        with self.assertRaisesRegex(DffCheckError, 'Unknown autoRun integration_config key: every'):
            check_api_options(None, {'integration': 'autoRun', 'integration_config': {'every': 5}})
        with self.assertRaisesRegex(DffCheckError, '5-field'):
            check_api_options(None, {'integration': 'autoRun', 'integration_config': {'crontab': '* *'}})

    def test_the_limits_of_the_manual(self):
        check_api_options('t' * 256, {})
        with self.assertRaisesRegex(DffCheckError, '257 characters long; at most 256'):
            check_api_options('t' * 257, {})
        for name, value in [('queue', 10), ('queue', ''), ('fixed_task_info_limit', 10001), ('hint', {1, 2}), ('is_disabled', 1)]:
            with self.subTest(name=name, value=value), self.assertRaises(DffCheckError):
                check_api_options(None, {name: value})

    def test_a_retry_is_a_count_or_a_policy_within_its_limits(self):
        for retry in (1, 10, {'count': 3}, {'count': 2, 'delay': 0.5, 'factor': 3, 'maxDelay': 600}, {'count': 1, 'delay': 900}):
            with self.subTest(retry=retry):
                check_api_options(None, {'retry': retry})
        for retry in (0, 11, True, '3', {'delay': 1}, {'count': 2, 'wait': 1}, {'count': 2, 'factor': 0.5},
                      {'count': 1, 'delay': 9, 'maxDelay': 2}, {'count': 1.5}, {'count': 1, 'delay': -1}):
            with self.subTest(retry=retry), self.assertRaisesRegex(DffCheckError, 'retry'):
                check_api_options(None, {'retry': retry})

    def test_an_unknown_option_is_refused(self):
        with self.assertRaisesRegex(DffCheckError, 'Unknown DFF.API option: nope'):
            check_api_options(None, {'nope': 1})

    def test_a_bad_value_is_refused(self):
        for name, value in [('timeout', 0), ('timeout', True), ('api_timeout', 181), ('fixed_crontab', '* *'), ('tags', ['']),
                            ('delayed_crontab', [-1])]:
            with self.subTest(name=name, value=value), self.assertRaises(DffCheckError):
                check_api_options(None, {name: value})

    def test_a_title_must_be_text(self):
        with self.assertRaises(DffCheckError):
            check_api_options(3, {})


class DescribeFuncTests(unittest.TestCase):
    def test_signature_defaults_category_and_tags(self):
        def plus(a, b=2, *rest, c=object(), **more):
            '''
            Adds.
            '''
        described = describe_func(plus, 'Plus', {'tags': ['y', 'x', 'y'], 'timeout': 5})
        self.assertEqual(['a', 'b', '*rest', 'c', '**more'], described['args'])
        self.assertEqual({'a': {}, 'b': {'default': 2}, 'c': {'default': '<Complex Object>'}}, described['kwargs'])
        self.assertEqual('general', described['category'])
        self.assertEqual(['x', 'y'], described['tags'])
        self.assertEqual({'timeout': 5}, described['options'])
        self.assertEqual('Adds.', described['description'])
        self.assertEqual('Plus', described['title'])

    def test_hints_the_silo_can_convert_are_described_and_others_are_not(self):
        import typing

        def typed(n: int, ok: bool, tags: list[str], ratio: float = 1.0, data: dict = None, maybe: typing.Optional[int] = None,
                  either: int | None = None, name: str = '', loose: list = None, odd: typing.Callable = None, mixed: int | str = 0, plain=1):
            pass
        kwargs = describe_func(typed, None, {})['kwargs']
        self.assertEqual({'type': 'int'}, kwargs['n'])
        self.assertEqual({'type': 'bool'}, kwargs['ok'])
        self.assertEqual({'type': 'list', 'items': 'str'}, kwargs['tags'])
        self.assertEqual({'type': 'float', 'default': 1.0}, kwargs['ratio'])
        self.assertEqual({'type': 'dict', 'default': None}, kwargs['data'])
        self.assertEqual({'type': 'int', 'default': None}, kwargs['maybe'])
        self.assertEqual({'type': 'int', 'default': None}, kwargs['either'])
        self.assertEqual({'type': 'str', 'default': ''}, kwargs['name'])
        self.assertEqual({'type': 'list', 'default': None}, kwargs['loose'])
        self.assertEqual({'default': None}, kwargs['odd'])
        self.assertEqual({'default': 0}, kwargs['mixed'])
        self.assertEqual({'default': 1}, kwargs['plain'])

    def test_string_hints_are_read_too(self):
        namespace = {}
        exec('from __future__ import annotations\ndef f(n: int, tags: list[int]):\n    pass\n', namespace)
        kwargs = describe_func(namespace['f'], None, {})['kwargs']
        self.assertEqual({'n': {'type': 'int'}, 'tags': {'type': 'list', 'items': 'int'}}, kwargs)


if __name__ == '__main__':
    unittest.main()
