"""Time series in a Redis sorted set, as 1.x's Redis helper kept them (`ts_add`, `ts_get`), so that a 1.x script's series
and the points it wrote before the move read the same.

A point is the member `"<timestamp>,<JSON value>"` scored by its timestamp, the timestamp aligned down to the source's
`tsMinInterval` (60 s by default). Each write sets the key's expiry to `tsMaxAge` (a day) and drops points older than
`tsMaxPeriod` (three days). A key that holds anything but a sorted set is deleted the first time a helper touches it.
"""

import functools
import json
import time

DEFAULTS = {'tsMaxAge': 3600 * 24, 'tsMaxPeriod': 3600 * 24 * 3, 'tsMinInterval': 60}

_AGGREGATES = {
    'count': len,
    'avg': lambda values: functools.reduce(lambda acc, x: acc + x, values) / len(values),
    'sum': lambda values: functools.reduce(lambda acc, x: acc + x, values),
    'min': min,
    'max': max,
}


def settings(config):
    """The source's series settings, 1.x's defaults where it has none."""
    return {name: int(config.get(name) or default) for name, default in DEFAULTS.items()}


def parse_point(point):
    text = point.decode('utf-8') if isinstance(point, bytes) else point
    timestamp, value = text.split(',', 1)
    return [int(timestamp.split('.')[0]), json.loads(value)]


def _checked(client, checked_keys, key):
    if key not in checked_keys:
        if client.type(key) not in (b'zset', 'zset'):
            client.delete(key)
        checked_keys.add(key)


def add(client, config, checked_keys, key, value, timestamp=None, mode=None):
    _checked(client, checked_keys, key)
    interval = config['tsMinInterval']
    timestamp = int((timestamp or int(time.time())) / interval) * interval
    if (mode or 'update').lower() == 'addup':
        previous = client.zrangebyscore(key, timestamp, timestamp)
        if previous:
            value += float(parse_point(previous[0])[1])
    client.zremrangebyscore(key, timestamp, timestamp)
    client.zadd(key, {'%d,%s' % (timestamp, json.dumps(value)): timestamp})
    client.expire(key, config['tsMaxAge'])
    if config['tsMaxPeriod']:
        client.zremrangebyscore(key, '-inf', int(time.time()) - config['tsMaxPeriod'])


def get(client, checked_keys, key, start='-inf', stop='+inf', group_time=1, agg='avg', scale=1, ndigits=2,
        time_unit='s', dict_output=False, limit=None, fill_zero=False):
    _checked(client, checked_keys, key)
    points = [parse_point(p) for p in client.zrangebyscore(key, start, stop)]

    if points and group_time and group_time >= 1:
        groups = []
        for timestamp, value in points:
            grouped = int(timestamp / group_time) * group_time
            if not groups or groups[-1][0] != grouped:
                groups.append([grouped, [value]])
            else:
                groups[-1][1].append(value)
        aggregate = _AGGREGATES.get(agg)
        if aggregate:
            for group in groups:
                group[1] = aggregate(group[1])
        if fill_zero:
            known = dict((t, v) for t, v in groups)
            groups = [[t, known.get(t) or 0] for t in range(int(groups[0][0]), int(groups[-1][0]) + group_time, group_time)]
        points = groups

    if limit:
        points = points[-1 * limit:]

    for point in points:
        if isinstance(point[1], (int, float)):
            if scale and scale != 1:
                point[1] = point[1] / scale
            point[1] = round(point[1], ndigits) if ndigits > 0 else int(point[1])
        if time_unit == 'ms':
            point[0] = point[0] * 1000

    if dict_output:
        return [{'t': t, 'v': v} for t, v in points]
    return points
