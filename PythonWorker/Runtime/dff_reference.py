"""The script API as the console's editor describes it (completions and hover help): every `DFF`
member with its signature and the first line of its docstring, the `DFF.API` options and the
`_DFF_*` variables. It is read from the runtime itself, so it says what a run really offers;
`tests/test_dff_reference.py` fails when the committed copy is out of date.

    /usr/bin/python3 -B dff_reference.py ../../WebFront/ClientApp/src/scripts/dffReference.json
"""

import inspect
import json
import sys

import dff_protocol
import dff_runtime
from dff_check import API_OPTIONS
from dff_object import _MEMBERS, Dff

# What each `_DFF_*` variable holds (dff_protocol says which there are; the test keeps the two equal).
VARIABLES = {
    '_DFF_ORIGIN': 'What started the run: authLink, crontab, batch, direct, dataSource, integration, apiAuth, errorHandler or debug',
    '_DFF_ORIGIN_ID': 'The ID of what started the run (the auth link, crontab config or batch)',
    '_DFF_TASK_ID': "The run's task ID",
    '_DFF_TASK_ATTEMPT': 'Which attempt of a queued run this is: 1, then 2, 3... for its retries (absent for calls a caller waits for)',
    '_DFF_ROOT_TASK_ID': 'The task ID of the first run of a DFF.FUNC chain (ROOT for a first run)',
    '_DFF_FUNC_ID': 'The running func: script ID and func name',
    '_DFF_FUNC_NAME': "The running func's name",
    '_DFF_FUNC_CHAIN': 'The func IDs of the DFF.FUNC chain that led to this run',
    '_DFF_TRIGGER_TIME': 'When the run was asked for (Unix seconds)',
    '_DFF_TRIGGER_TIME_MS': 'When the run was asked for (Unix milliseconds)',
    '_DFF_START_TIME': 'When the run started (Unix seconds)',
    '_DFF_START_TIME_MS': 'When the run started (Unix milliseconds)',
    '_DFF_HTTP_REQUEST': 'The HTTP request that started the run (auth link, batch, direct or editor call): method, url, host, protocol, headers, query, body, ip, ...; {} for other runs',
    '_DFF_DEBUG': 'True when the run is the editor\'s (the draft)',
    '_DFF_SILO': 'The silo that ran the func',
    '_DFF_EXEC_MODE': 'How the run was asked for: sync (a caller waits) or async',
    '_DFF_CRONTAB': 'The crontab expression that fired the run',
    '_DFF_CRONTAB_DELAY': 'The delay of this crontab run (seconds, delayed_crontab)',
    '_DFF_CRON_EXPR': 'The crontab expression that fired the run (later name of _DFF_CRONTAB)',
    '_DFF_CRON_JOB_DELAY': 'The delay of this crontab run (later name of _DFF_CRONTAB_DELAY)',
    '_DFF_CRON_JOB_EXEC_MODE': 'cronJob when the crontab fired the run, manual when started by hand, catchUp for minutes missed while the cluster was down',
    '_DFF_SCRIPT_ID': 'The running script\'s ID',
    '_DFF_SCRIPT_SET_ID': 'The running script\'s set ID',
}

# Globals a script sees besides the builtins, DFF and the variables.
GLOBALS = {'print_var': dff_runtime._Run.print_var}


def reference():
    dff = Dff(_ReferenceRun())
    return {
        'members': [_member(name, getattr(dff, name), getattr(Dff, name, None)) for name in sorted(_MEMBERS)],
        'apiOptions': [{'name': name, 'description': option.description} for name, option in API_OPTIONS.items()],
        'variables': [{'name': name, 'description': VARIABLES[name]} for name in sorted(VARIABLES)],
        'globals': [_callable(name, value) for name, value in GLOBALS.items()],
    }


def variable_names():
    """Every `_DFF_*` variable a run may set."""
    return set(dff_protocol.CONTEXT_VARIABLES.values()) | set(dff_protocol.RUNTIME_VARIABLES)


class _ReferenceRun:
    """Just enough of a run for `Dff(...)` to be built and looked at."""
    script_id = 'reference'
    lists_funcs = False
    print_var = GLOBALS['print_var']


def _member(name, value, declared):
    if inspect.isroutine(value) or inspect.isfunction(declared):
        return _callable(name, declared if inspect.isfunction(declared) else value)
    cls = type(value)
    described = {'name': name, 'kind': 'object', 'description': _first_line(cls), 'methods': _methods(cls)}
    if '__call__' in vars(cls):
        described['signature'] = _signature(vars(cls)['__call__'])
    return described


def _callable(name, func):
    return {'name': name, 'kind': 'function', 'signature': _signature(func), 'description': _first_line(func)}


def _methods(cls):
    """Public methods of the class itself (not of dict, for DFF.CTX); an alias says what it repeats."""
    methods, seen = [], {}
    for name, value in vars(cls).items():
        if name.startswith('_') or not inspect.isfunction(value):
            continue
        if value in seen:
            methods.append({'name': name, 'signature': _signature(value), 'description': 'Same as %s.' % seen[value]})
        else:
            seen[value] = name
            methods.append({'name': name, 'signature': _signature(value), 'description': _first_line(value)})
    return sorted(methods, key=lambda m: m['name'])


def _signature(func):
    signature = inspect.signature(func)
    parameters = [p for p in signature.parameters.values() if p.name != 'self']
    return str(signature.replace(parameters=parameters, return_annotation=inspect.Signature.empty))


def _first_line(thing):
    """The docstring's first paragraph on one line."""
    return ' '.join((inspect.getdoc(thing) or '').strip().split('\n\n')[0].split())


def main(path):
    with open(path, 'w', encoding='utf-8') as target:
        target.write(render())


def render():
    return json.dumps(reference(), ensure_ascii=False, indent=1) + '\n'


if __name__ == '__main__':
    main(sys.argv[1])
