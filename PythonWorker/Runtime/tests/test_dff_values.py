"""The runtime's value helpers, without a worker: python3 -m unittest discover (run by ./test.sh)."""

import json
import math
import unittest

from dff_values import CaseInsensitiveDict, JsonText, cast, encode_answer, encode_result


class EncodingTests(unittest.TestCase):
    def test_writes_what_json_dumps_writes_keeping_non_ascii(self):
        value = {'name': '函数', 'n': [1, 2.5, None, True], 'nested': {'a': 'b'}}
        self.assertEqual(json.loads(encode_result(value)), value)
        self.assertIn('函数', encode_result(value))

    def test_a_result_writes_nan_as_null_as_1x_did_an_answer_as_nan(self):
        self.assertEqual(encode_result(math.nan), 'null')
        self.assertEqual(encode_answer(math.nan), 'NaN')

    def test_after_a_circular_value_the_encoder_still_works(self):
        loop = []
        loop.append(loop)
        with self.assertRaises(ValueError):
            encode_result(loop)
        self.assertEqual(encode_result([1]), '[1]')

    def test_json_text_is_a_string_marked_as_written(self):
        self.assertIsInstance(JsonText('[1]'), str)


class HeaderTests(unittest.TestCase):
    def test_headers_are_found_whatever_their_case(self):
        headers = CaseInsensitiveDict.of({'Content-Type': 'text/plain', 'X-Token': 'a'})
        self.assertEqual(headers['content-type'], 'text/plain')
        self.assertEqual(headers.get('X-TOKEN'), 'a')
        self.assertIn('x-token', headers)
        self.assertIsNone(headers.get('missing'))
        self.assertEqual(dict(headers), {'content-type': 'text/plain', 'x-token': 'a'})

    def test_names_sent_lower_case_are_kept_as_they_are(self):
        sent = {'accept': '*/*', 'x-1': 'a'}
        self.assertEqual(dict(CaseInsensitiveDict.of(sent)), sent)
        self.assertEqual(dict(CaseInsensitiveDict.of({1: 'a', 'B': 'b'})), {'1': 'a', 'b': 'b'})


class CastingTests(unittest.TestCase):
    def test_each_auto_type(self):
        self.assertEqual(cast('42', 'integer'), 42)
        self.assertEqual(cast('2.5', 'float'), 2.5)
        self.assertEqual(cast('{"a": 1}', 'json'), {'a': 1})
        self.assertEqual(cast('a,b', 'commaArray'), ['a', 'b'])
        self.assertEqual(cast('text', 'string'), 'text')

    def test_booleans_take_the_words_of_dataflux_func(self):
        for word in ('true', '1', 'o', 'y', 'yes', 'OK', 'on'):
            self.assertIs(cast(word, 'boolean'), True, word)
        for word in ('false', '0', 'x', 'n', 'No', 'ng', 'off'):
            self.assertIs(cast(word, 'boolean'), False, word)
        self.assertIsNone(cast('maybe', 'boolean'))

    def test_text_that_does_not_convert_is_none(self):
        self.assertIsNone(cast('forty-two', 'integer'))
        self.assertIsNone(cast('{broken', 'json'))


if __name__ == '__main__':
    unittest.main()


class ResultEncodingOf1xTests(unittest.TestCase):
    """A func's result as DataFlux Func 1.x wrote values JSON has not."""

    def test_dates_times_and_decimals(self):
        import datetime
        import decimal
        from dff_values import encode_result
        value = {'naive': datetime.datetime(2024, 1, 2, 3, 4, 5), 'aware': datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=8))),
                 'day': datetime.date(2024, 1, 2), 'price': decimal.Decimal('3.10'), 'count': decimal.Decimal('7')}
        self.assertEqual('{"naive": "2024-01-02T03:04:05+00:00", "aware": "2024-01-02T03:04:05+08:00", "day": "2024-01-02", "price": 3.1, "count": 7}',
                         encode_result(value))

    def test_nan_and_infinity_are_null(self):
        from dff_values import encode_result
        self.assertEqual('[null, {"x": null}, 1.5]', encode_result([float('nan'), {'x': float('inf')}, 1.5]))

    def test_bytes_are_their_utf8_text(self):
        # 1.x's ujson wrote bytes as text, so a func could return a Redis value (bytes) as it came.
        from dff_values import encode_result
        self.assertEqual('{"v": "v1 é", "l": ["x"]}', encode_result({'v': 'v1 é'.encode(), 'l': [b'x']}))
        with self.assertRaises(TypeError):
            encode_result(b'\xff')

    def test_other_objects_stay_an_error(self):
        from dff_values import encode_result
        with self.assertRaises(TypeError):
            encode_result({'o': object()})
        self.assertEqual('[1]', encode_result([1]))
