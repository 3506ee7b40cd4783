"""DFF.SQL(sql, sql_params=None, pretty=False): DataFlux Func's client-side SQL formatting.

`?` takes the next parameter escaped as a MySQL literal (a dict becomes `k = v, ...`, a list or tuple
`v1, v2, ...`, a list of lists `(a, b), (c, d)`), `??` takes it as it is (a table or field name).
1.x filled the placeholders with `str.format`, so a `{` or `}` anywhere in the statement broke it;
here the statement is scanned once and braces are plain text (the later versions' behaviour).
"""

import re

_ESCAPES = {'\0': '\\0', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\x1a': '\\Z',
            '"': '\\"', "'": "\\'", '\\': '\\\\'}

_PLACEHOLDER = re.compile(r'\?+')


def escape(value):
    """One value as a SQL literal."""
    if value is None:
        return 'NULL'
    if value is True or value is False:
        return str(value).upper()
    if isinstance(value, str):
        return "'%s'" % ''.join(_ESCAPES.get(c, c) for c in value)
    if isinstance(value, (int, float)):
        return str(value)
    return "'%s'" % ''.join(_ESCAPES.get(c, c) for c in str(value))


def format_sql(sql, sql_params=None, pretty=False):
    """SQL with each `?` filled by the next of sql_params as a literal (`??`: as it is, a name); pretty puts lists on lines."""
    if not sql_params:
        return sql
    if not isinstance(sql_params, (list, tuple)):
        sql_params = [sql_params]
    separator = ',\n  ' if pretty else ', '
    parts, position, index = [], 0, 0
    for match in _PLACEHOLDER.finditer(sql):
        if index >= len(sql_params):
            break
        placeholder = match.group()
        if len(placeholder) > 2:
            continue  # `???`: not a placeholder
        param = sql_params[index]
        if placeholder == '??':
            text = str(param)
        elif isinstance(param, dict):
            text = separator.join('%s = %s' % (k, escape(v)) for k, v in param.items())
        elif isinstance(param, (list, tuple, set)):
            text = separator.join('(%s)' % ', '.join(escape(v) for v in x) if isinstance(x, (list, tuple, set)) else escape(x)
                                  for x in param)
        else:
            text = escape(param)
        parts.append(sql[position:match.start()])
        parts.append(text)
        position = match.end()
        index += 1
    if position == 0:
        return sql
    parts.append(sql[position:])
    return ''.join(parts).strip()
