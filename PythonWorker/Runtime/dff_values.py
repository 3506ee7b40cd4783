"""Values a run exchanges with the silo and its script: JSON written fast, HTTP headers looked
up without regard to case, env variable text cast to its type. No state: tested alone
(tests/test_dff_values.py)."""

import collections
import datetime
import decimal
import json
import math
import sys


class JsonText(str):
    """A value already serialized as JSON."""


_scan_json = json.JSONDecoder().scan_once


def decode_request(text):
    """A request frame's JSON object, as json.loads reads it but without its two whitespace matches and three calls
    (written by the silo: no whitespace around it). `json.loads` of a link call's request was a third of its run."""
    try:
        value, end = _scan_json(text, 0)
    except StopIteration:
        raise ValueError('A request frame is not JSON') from None
    if end != len(text) or not isinstance(value, dict):
        raise ValueError('A request frame is one JSON object')
    return value


def json_default(value):
    """What DataFlux Func 1.x wrote for values JSON has not (its simplejson fallback): dates and times as ISO text (a naive
    datetime as UTC, as 1.x's arrow read it), decimals as numbers. 1.x wrote anything else as its repr (and a date as
    `datetime.date(...)`): here a date is ISO text too, and anything else stays an error the author sees. Bytes are their
    UTF-8 text, as 1.x's ujson wrote them (a Redis value returned as it came); other bytes are an error."""
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode('utf-8')
        except UnicodeDecodeError:
            raise TypeError('bytes that are not UTF-8 text cannot be written as JSON: encode them (base64) first') from None
    if isinstance(value, datetime.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)).isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError('Object of type %s is not JSON serializable' % type(value).__name__)


def _without_nan(value):
    """NaN and infinities as null, as 1.x wrote them (`ignore_nan`)."""
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, dict):
        return {k: _without_nan(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_without_nan(v) for v in value]
    return value


class _Encoder:
    """`json.dumps(value, ensure_ascii=False, allow_nan=..., default=...)`, with the C encoder made once rather
    than on every call (as JSONEncoder.iterencode does). After a failure it is made again: its
    circular-reference marks may be left half-filled."""

    def __init__(self, allow_nan, default=None):
        self._allow_nan = allow_nan
        self._default = default
        self._make()

    def _make(self):
        fallback = json.JSONEncoder(ensure_ascii=False, allow_nan=self._allow_nan, default=self._default)
        make = json.encoder.c_make_encoder
        self._encode = (lambda value, level: fallback.iterencode(value)) if make is None else make(
            {}, fallback.default, json.encoder.encode_basestring, None, ': ', ', ', False, False, self._allow_nan)

    def __call__(self, value):
        try:
            return ''.join(self._encode(value, 0))
        except ValueError as error:
            self._make()
            if self._allow_nan or 'Out of range float' not in str(error):
                raise
            # Out-of-range floats: written as null, as 1.x did.
            return ''.join(self._encode(_without_nan(value), 0))
        except BaseException:
            self._make()
            raise


encode_answer = _Encoder(allow_nan=True)
encode_result = _Encoder(allow_nan=False, default=json_default)


class CaseInsensitiveDict(dict):
    """HTTP headers: looked up without regard to case, as in DataFlux Func. Made by `of`, which lowers the names."""

    @classmethod
    def of(cls, items):
        try:
            names = ''.join(items)
            lowered = names == names.lower()  # the silo sends them lower-case already: no str per name
        except TypeError:
            lowered = False
        return cls(items if lowered else {str(k).lower(): v for k, v in items.items()})

    def __getitem__(self, key):
        return super().__getitem__(key.lower())

    def get(self, key, default=None):
        return super().get(key.lower(), default)

    def __contains__(self, key):
        return super().__contains__(key.lower())

_TRUE_WORDS = {'true', '1', 'o', 'y', 'yes', 'ok', 'on'}
_FALSE_WORDS = {'false', '0', 'x', 'n', 'no', 'ng', 'off'}


def cast(text, casting):
    """Env variable auto types (reference section 8); None when the text does not convert."""
    try:
        if casting == 'integer':
            return int(text)
        if casting == 'float':
            return float(text)
        if casting == 'boolean':
            word = text.lower()
            return True if word in _TRUE_WORDS else False if word in _FALSE_WORDS else None
        if casting == 'json':
            return json.loads(text)
        if casting == 'commaArray':
            return text.split(',')
        return text
    except ValueError:
        return None


def deep_size(value):
    """Bytes a value holds with everything in it (each object counted once), as DataFlux Func's print_var says."""
    seen = set()

    def size(item):
        if id(item) in seen:
            return 0
        seen.add(id(item))
        total = sys.getsizeof(item, 0)
        if isinstance(item, dict):
            total += sum(size(k) + size(v) for k, v in item.items())
        elif isinstance(item, (list, tuple, set, frozenset, collections.deque)):
            total += sum(size(element) for element in item)
        return total

    return size(value)
