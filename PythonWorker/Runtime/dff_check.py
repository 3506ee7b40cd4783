"""The publish check's rules: how a script must be indented, which `DFF.API` options it may use,
and how an exported func is described to the silo."""

import inspect
import io
import json
import tokenize

API_OPTIONS = {
    'category': lambda v: isinstance(v, str) and 0 < len(v) <= 64,
    'tags': lambda v: isinstance(v, (list, tuple)) and all(isinstance(t, str) and 0 < len(t) <= 64 for t in v),
    'timeout': lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 3600,
    'api_timeout': lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 180,
    'cache_result': lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0,
    'fixed_crontab': lambda v: isinstance(v, str) and len(v.split()) == 5,
    'delayed_crontab': lambda v: (isinstance(v, int) and not isinstance(v, bool) and v >= 0) or (
        isinstance(v, (list, tuple)) and all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in v)),
    'is_hidden': lambda v: isinstance(v, bool),
}


class DffCheckError(Exception):
    """A publish-check rule broken at a known line."""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.line = line


def check_api_options(title, options):
    """The arguments of a `DFF.API(...)` decorator."""
    if title is not None and not isinstance(title, str):
        raise DffCheckError('DFF.API title must be a string')
    for name, value in options.items():
        rule = API_OPTIONS.get(name)
        if rule is None:
            raise DffCheckError('Unknown DFF.API option: %s' % name)
        if not rule(value):
            raise DffCheckError('Invalid value for DFF.API option %s: %r' % (name, value))


def check_indentation(code):
    """Every indentation step is made of spaces, four at a time."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return  # compile() reports these with their own line
    for token in tokens:
        if token.type == tokenize.INDENT:
            indent = token.string
            if '\t' in indent:
                raise DffCheckError('Indent with spaces, not tabs', token.start[0])
            if len(indent) % 4 != 0:
                raise DffCheckError('Indent by multiples of 4 spaces', token.start[0])


def describe_func(func, title, options):
    """An exported func as the publish check reports it: signature, defaults, category, tags, options."""
    name = func.__name__
    signature = inspect.signature(func)
    args, kwargs = [], {}
    for parameter in signature.parameters.values():
        if parameter.kind == parameter.VAR_POSITIONAL:
            args.append('*' + parameter.name)
        elif parameter.kind == parameter.VAR_KEYWORD:
            args.append('**' + parameter.name)
        else:
            args.append(parameter.name)
            spec = {}
            if parameter.default is not parameter.empty:
                spec['default'] = _json_or_marker(parameter.default)
            kwargs[parameter.name] = spec
    return {
        'name': name,
        'title': title,
        'description': inspect.cleandoc(func.__doc__) if func.__doc__ else None,
        'definition': '%s%s' % (name, signature),
        'args': args,
        'kwargs': kwargs,
        'category': options.pop('category', None) or 'general',
        'tags': sorted(set(options.pop('tags', None) or [])),
        'options': options,
        'line': func.__code__.co_firstlineno,
    }


def _json_or_marker(value):
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError):
        return '<Complex Object>'
