"""What a script written for DataFlux Func 1.x (Python 3.7) uses that it will not find here, or finds changed: read
from its code (the AST, nothing is run), for the migration report of a package import. Each note is
`{line, name, message}`; a note is advice, never a refusal.

Found: `DFF.*` members OrleansFunc has not or refuses, `DFF.API` options with another meaning here, `_DFF_*`
variables no run sets, modules this worker cannot import, and the 3.7 modules, functions and arguments that
Python 3.8 to 3.11 removed.
"""

import ast
import importlib.util
import sys

import dff_protocol

# DFF members that are None here, or refuse, with why (everything else of 1.x is there: see the README's table).
MISSING_MEMBERS = {
    'SIGN': 'DFF.SIGN is not available: the platform secret it signs with is not a script\'s',
    'TASK': 'DFF.TASK (1.x\'s Celery task object) is not available',
    'DATAWAY': 'DFF.DATAWAY (Guance DataWay client) is not available',
    'DATAKIT': 'DFF.DATAKIT (Guance DataKit client) is not available',
    'SYS_DB': 'DFF.SYS_DB (the platform\'s own database) is not available to scripts',
    'SYS_CACHE_DB': 'DFF.SYS_CACHE_DB (the platform\'s own Redis) is not available to scripts',
    'SYNC_API': 'DFF.SYNC_API is not available: call auth links over HTTP, or DFF.FUNC',
    'ASYNC_API': 'DFF.ASYNC_API is not available: call batches over HTTP, or DFF.FUNC',
    'CRON_JOB': 'DFF.CRON_JOB is not available: manage crontab configs in the console or the API',
    'AUTH_LINK': 'DFF.AUTH_LINK is not available: call auth links over HTTP, or DFF.FUNC',
    'BATCH': 'DFF.BATCH is not available: call batches over HTTP, or DFF.FUNC',
    'CRONTAB_CONFIG': 'DFF.CRONTAB_CONFIG is not available: manage crontab configs in the console or the API',
    'BLUEPRINT': 'DFF.BLUEPRINT is not available',
    'TOOLKIT': 'DFF.TOOLKIT is not available: use the standard library',
    'GUANCE_OPENAPI': 'DFF.GUANCE_OPENAPI is not available',
    'EXTRA_GUANCE_DATA': 'DFF.EXTRA_GUANCE_DATA is not available',
}

MEMBER_METHOD_NOTES = {
    ('SRC', 'save'): 'DFF.SRC.save raises PermissionError here: data sources are changed by an administrator',
    ('SRC', 'delete'): 'DFF.SRC.delete raises PermissionError here: data sources are changed by an administrator',
    ('CONN', 'save'): 'DFF.CONN.save raises PermissionError here: data sources are changed by an administrator',
    ('CONN', 'delete'): 'DFF.CONN.delete raises PermissionError here: data sources are changed by an administrator',
}

API_OPTION_NOTES = {
    'queue': 'queue= names a worker pool here (OrleansFunc:Engine:Pools), not a 1.x queue; without such a pool the func runs on its origin\'s lane',
    'kwargs_hint': 'kwargs_hint= is kept with the func but converts no argument',
    'is_disabled': 'is_disabled= is kept with the func but disables nothing: disable its links, batches or crontab configs',
}

# Modules Python 3.8 to 3.11 removed.
REMOVED_MODULES = {
    'macpath': '3.8', 'dummy_threading': '3.9', '_dummy_thread': '3.9', 'xml.etree.cElementTree': '3.9 (use xml.etree.ElementTree)',
    'formatter': '3.10', 'parser': '3.10 (use ast)', 'symbol': '3.10', 'binhex': '3.11',
}

# (module, name): what replaces a function or class Python 3.8 to 3.11 removed.
REMOVED_NAMES = {
    ('time', 'clock'): 'removed in 3.8: use time.perf_counter() or time.process_time()',
    ('cgi', 'escape'): 'removed in 3.8: use html.escape()',
    ('platform', 'linux_distribution'): 'removed in 3.8',
    ('platform', 'dist'): 'removed in 3.8',
    ('base64', 'encodestring'): 'removed in 3.9: use base64.encodebytes()',
    ('base64', 'decodestring'): 'removed in 3.9: use base64.decodebytes()',
    ('fractions', 'gcd'): 'removed in 3.9: use math.gcd()',
    ('sys', 'setcheckinterval'): 'removed in 3.9: use sys.setswitchinterval()',
    ('sys', 'getcheckinterval'): 'removed in 3.9: use sys.getswitchinterval()',
    ('inspect', 'getargspec'): 'removed in 3.11: use inspect.signature() or inspect.getfullargspec()',
    ('inspect', 'formatargspec'): 'removed in 3.11: use inspect.signature()',
    ('asyncio', 'coroutine'): 'removed in 3.11: write async def',
    ('binascii', 'a2b_hqx'): 'removed in 3.11', ('binascii', 'b2a_hqx'): 'removed in 3.11',
    ('gettext', 'lgettext'): 'removed in 3.11: use gettext()', ('gettext', 'ldgettext'): 'removed in 3.11',
}
REMOVED_NAMES.update({('collections', name): 'removed in 3.10: import it from collections.abc' for name in (
    'Awaitable', 'Coroutine', 'AsyncIterable', 'AsyncIterator', 'AsyncGenerator', 'Hashable', 'Iterable', 'Iterator',
    'Generator', 'Reversible', 'Sized', 'Container', 'Callable', 'Collection', 'Set', 'MutableSet', 'Mapping',
    'MutableMapping', 'MappingView', 'KeysView', 'ItemsView', 'ValuesView', 'Sequence', 'MutableSequence', 'ByteString')})

# Methods removed in 3.9 whose name alone is a safe sign.
REMOVED_METHODS = {
    'isAlive': 'Thread.isAlive() was removed in 3.9: use is_alive()',
    'getchildren': 'Element.getchildren() was removed in 3.9: use list(element)',
    'getiterator': 'getiterator() was removed in 3.9: use iter()',
}

_KNOWN_VARIABLES = frozenset(dff_protocol.CONTEXT_VARIABLES.values()) | frozenset(dff_protocol.RUNTIME_VARIABLES)


def review(code, script_id):
    """The notes of one script's code; none when it does not parse (the publish check reports that)."""
    try:
        tree = ast.parse(code, script_id)
    except SyntaxError:
        return []
    notes = []

    def note(node, name, message):
        notes.append({'line': getattr(node, 'lineno', None), 'name': name, 'message': message})

    aliases = {}  # local name -> module it names (import x as y / from x import y)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[(alias.asname or alias.name).split('.')[0]] = alias.name if alias.asname else alias.name.split('.')[0]
                _review_module(node, alias.name, note)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            _review_module(node, node.module, note)
            for alias in node.names:
                if (node.module, alias.name) in REMOVED_NAMES:
                    note(node, '%s.%s' % (node.module, alias.name), REMOVED_NAMES[(node.module, alias.name)])
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            _review_attribute(node, aliases, note)
        elif isinstance(node, ast.Name) and node.id.startswith('_DFF_') and node.id not in _KNOWN_VARIABLES:
            note(node, node.id, '%s is not set here (see the _DFF_* variables of the README)' % node.id)
        elif isinstance(node, ast.Call):
            _review_call(node, note)
    unique = {(n['line'], n['name'], n['message']): n for n in notes}
    return sorted(unique.values(), key=lambda n: (n['line'] or 0, n['name']))


def _review_module(node, module, note):
    if module in REMOVED_MODULES:
        note(node, module, 'module %s was removed in Python %s' % (module, REMOVED_MODULES[module]))
        return
    top = module.split('.')[0]
    # Other scripts (set__script, or 1.x's __script of the same set) are imported by the runtime.
    if '__' in top or top in sys.builtin_module_names:
        return
    try:
        found = importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        note(node, top, 'module %s is not installed here: install it as a Python package, or drop the import' % top)


def _review_attribute(node, aliases, note):
    target = node.value
    if isinstance(target, ast.Name) and target.id == 'DFF':
        member = node.attr.upper()
        if member in MISSING_MEMBERS:
            note(node, 'DFF.' + member, MISSING_MEMBERS[member])
    elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == 'DFF':
        key = (target.attr.upper(), node.attr)
        if key in MEMBER_METHOD_NOTES:
            note(node, 'DFF.%s.%s' % key, MEMBER_METHOD_NOTES[key])
    elif isinstance(target, ast.Name) and (aliases.get(target.id, target.id), node.attr) in REMOVED_NAMES:
        module = aliases.get(target.id, target.id)
        note(node, '%s.%s' % (module, node.attr), REMOVED_NAMES[(module, node.attr)])
    elif node.attr in REMOVED_METHODS and isinstance(node.ctx, ast.Load):
        note(node, node.attr, REMOVED_METHODS[node.attr])


def _review_call(node, note):
    func = node.func
    is_api = isinstance(func, ast.Attribute) and func.attr in ('API', 'api') and isinstance(func.value, ast.Name) and func.value.id == 'DFF'
    if is_api:
        for keyword in node.keywords:
            if keyword.arg in API_OPTION_NOTES:
                note(node, 'DFF.API(%s=)' % keyword.arg, API_OPTION_NOTES[keyword.arg])
    elif isinstance(func, ast.Attribute) and func.attr in ('loads', 'load') and isinstance(func.value, ast.Name) and func.value.id == 'json':
        if any(keyword.arg == 'encoding' for keyword in node.keywords):
            note(node, 'json.%s(encoding=)' % func.attr, 'the encoding argument of json.loads was removed in 3.9')
