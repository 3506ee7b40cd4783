"""The publish check's rules: how a script must be indented, which `DFF.API` options it may use,
and how an exported func is described to the silo."""

import builtins
import io
import json
import types

from dff_protocol import ARGUMENT_TYPES, RETRY_LIMITS

class ApiOption:
    """A `DFF.API` option: what it does (the editor's help) and the rule its value follows."""

    def __init__(self, description, rule):
        self.description = description
        self.rule = rule


API_OPTIONS = {
    'category': ApiOption('A category for the func list (at most 64 characters)',
                          lambda v: isinstance(v, str) and 0 < len(v) <= 64),
    'tags': ApiOption('Tags for the func list: a list of strings of at most 64 characters',
                      lambda v: isinstance(v, (list, tuple)) and all(isinstance(t, str) and 0 < len(t) <= 64 for t in v)),
    'timeout': ApiOption('Seconds a run may take (1-3600) before it is stopped',
                         lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 3600),
    'api_timeout': ApiOption('Seconds an HTTP caller waits for the result (1-180)',
                             lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 180),
    'cache_result': ApiOption('Seconds an auth link answers from the cached result of the same arguments',
                              lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0),
    'fixed_crontab': ApiOption('A 5-field crontab every crontab config of this func uses',
                               lambda v: isinstance(v, str) and len(v.split()) == 5),
    'delayed_crontab': ApiOption('Seconds (or a list of them) to delay each crontab run by',
                                 lambda v: (isinstance(v, int) and not isinstance(v, bool) and v >= 0) or (
                                     isinstance(v, (list, tuple)) and all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in v))),
    'is_hidden': ApiOption('True hides the func from the func list and docs',
                           lambda v: isinstance(v, bool)),
    # 1.x: a worker queue by number (0-9) or alias; here the name of a worker pool (see queue_name).
    'queue': ApiOption('The worker pool the func runs on (1.x: a queue number 0-9)',
                       lambda v: (isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 9) or (isinstance(v, str) and 0 < len(v) <= 64)),
    'fixed_task_info_limit': ApiOption('How many task records of this func are kept (0-10000)',
                                       lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 10000),
    'integration': ApiOption("'signIn' (a func that signs users in) or 'autoRun' (runs on launch, publish or a crontab)",
                             lambda v: isinstance(v, str) and 0 < len(v) <= 64),
    'integration_config': ApiOption("autoRun's settings: crontab, onLaunch, onPublish",
                                    lambda v: v is None or isinstance(v, dict)),
    # Free-form notes of 1.0.x: kept with the func, used by nothing.
    'hint': ApiOption('A free-form note kept with the func (1.0.x); it changes nothing', lambda v: _is_json(v)),
    'kwargs_hint': ApiOption('Free-form notes on the arguments, by name (1.0.x); they change nothing', lambda v: isinstance(v, dict) and _is_json(v)),
    'is_disabled': ApiOption('Accepted from 1.x scripts; it changes nothing here', lambda v: isinstance(v, bool)),
    'retry': ApiOption('Queued runs that fail are tried again: a count (1-10), or {count, delay, factor, maxDelay} '
                       '(seconds before the first retry, its growth, its cap); a batch or crontab config may set its own',
                       lambda v: _is_retry(v)),
}

# `integration` values and the 1.x spellings of each.
INTEGRATIONS = {'signin': 'signIn', 'login': 'signIn', 'sign_in': 'signIn', 'log_in': 'signIn',
                'autorun': 'autoRun', 'auto_run': 'autoRun'}

# `integration_config` keys of autoRun and their 1.x spellings.
AUTO_RUN_CONFIG = {'crontab': 'cronExpr', 'cronExpr': 'cronExpr', 'cron_expr': 'cronExpr',
                   'onLaunch': 'onSystemLaunch', 'onSystemLaunch': 'onSystemLaunch', 'on_launch': 'onSystemLaunch',
                   'onPublish': 'onScriptPublish', 'onScriptPublish': 'onScriptPublish', 'on_publish': 'onScriptPublish'}

MAX_TITLE_LENGTH = 256
MAX_FUNC_ID_LENGTH = 253


class DffCheckError(Exception):
    """A publish-check rule broken at a known line."""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.line = line


def check_api_options(title, options):
    """The arguments of a `DFF.API(...)` decorator."""
    if title is not None and not isinstance(title, str):
        raise DffCheckError('DFF.API title must be a string')
    if title is not None and len(title) > MAX_TITLE_LENGTH:
        raise DffCheckError('DFF.API title is %d characters long; at most %d' % (len(title), MAX_TITLE_LENGTH))
    for name, value in options.items():
        option = API_OPTIONS.get(name)
        if option is None:
            raise DffCheckError('Unknown DFF.API option: %s' % name)
        if not option.rule(value):
            raise DffCheckError('Invalid value for DFF.API option %s: %r' % (name, value))
    if 'integration' in options:
        options['integration'] = INTEGRATIONS.get(options['integration'].lower(), options['integration'])
        if options['integration'] == 'autoRun' and options.get('integration_config'):
            unknown = [k for k in options['integration_config'] if k not in AUTO_RUN_CONFIG]
            if unknown:
                raise DffCheckError('Unknown autoRun integration_config key: %s (known: crontab, onLaunch, onPublish)' % unknown[0])
            options['integration_config'] = {AUTO_RUN_CONFIG[k]: v for k, v in options['integration_config'].items()}
            expression = options['integration_config'].get('cronExpr')
            if expression is not None and not (isinstance(expression, str) and len(expression.split()) == 5):
                raise DffCheckError('autoRun crontab must be a 5-field crontab expression: %r' % (expression,))


def check_indentation(code):
    """Every indentation step is made of spaces, four at a time."""
    import tokenize
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
    import inspect  # the publish check's, with typing below: not imported at every worker's start
    name = func.__name__
    signature = inspect.signature(func)
    hints = _type_hints(func)
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
            spec.update(argument_type(hints.get(parameter.name)))
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


def _type_hints(func):
    """The func's hints, string ones (`from __future__ import annotations`) evaluated; none when they cannot be."""
    import typing
    try:
        return typing.get_type_hints(func)
    except Exception:
        return {}


_ARGUMENT_CLASSES = tuple(getattr(builtins, name) for name in ARGUMENT_TYPES)


def argument_type(hint):
    """`{type}` (and `items` for `list[X]`) of a hint the silo can convert a string to; `{}` for any other hint.
    `Optional[X]` and `X | None` are X."""
    import typing
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        others = [a for a in typing.get_args(hint) if a is not type(None)]
        return argument_type(others[0]) if len(others) == 1 else {}
    if origin in (list, dict):
        described = {'type': origin.__name__}
        item = typing.get_args(hint)[0] if origin is list and typing.get_args(hint) else None
        if item in (str, int, float, bool):
            described['items'] = item.__name__
        return described
    if hint in _ARGUMENT_CLASSES:
        return {'type': hint.__name__}
    return {}


def check_func_id(script_id, func):
    func_id = '%s.%s' % (script_id, func.__name__)
    if len(func_id) > MAX_FUNC_ID_LENGTH:
        raise DffCheckError('Func ID %s... is %d characters long; script set ID, script ID and func name make at most %d'
                            % (func_id[:40], len(func_id), MAX_FUNC_ID_LENGTH), func.__code__.co_firstlineno)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_retry(value):
    """A retry count of at least 1, or an object of RETRY_LIMITS' fields with a count, each within its range."""
    fields = {'count': value} if _is_number(value) else value
    if not isinstance(fields, dict) or 'count' not in fields or not isinstance(fields['count'], int) or fields['count'] < 1:
        return False
    for name, field in fields.items():
        if name not in RETRY_LIMITS or not _is_number(field):
            return False
        least, most = RETRY_LIMITS[name]
        if not least <= field <= most:
            return False
    # Without a cap, the cap is at least the first delay.
    return 'maxDelay' not in fields or fields['maxDelay'] >= fields.get('delay', 0)


def _is_json(value):
    try:
        json.dumps(value, allow_nan=False)
        return True
    except (TypeError, ValueError):
        return False


def _json_or_marker(value):
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError):
        return '<Complex Object>'
