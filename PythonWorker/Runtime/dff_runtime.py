"""The DFF runtime inside a Python worker: runs user scripts the way DataFlux Func does.

The .NET worker calls `handle(request_json)` for each run frame (`handle_source` for a data
source's) and sends back the JSON string it returns, as a forked result when `run_forked()` says so. The fields of requests, results and
callbacks are named in `dff_protocol` (the mirror of the silo's `WorkerMessages`); runs leave the
code out (see `_compile`):

* mode "run": execute the script with fresh globals, call `funcName(**kwargs)`, return
  `{status, result, printLogs, cost, error?}`;
* mode "check": the publish check, return `{status, funcs, printLogs, cost, error?}`.

`status` is "success", "failure" or "timeout"; `error` is `{type, message, line, traceback}` with
the traceback limited to frames of user scripts.
"""

import builtins
import copy
import ctypes
import html
import importlib.abc
import importlib.util
import socket
import inspect
import io
import json
import linecache
import os
import re
import resource
import signal
import sys
import time
import tokenize
import traceback
import urllib.parse
import uuid

import dff_datasources
import dff_protocol
import dff_timelimit
from dff_timelimit import DffTimeout
from dff_values import CaseInsensitiveDict, JsonText, cast, encode_answer, encode_result

_PR_SET_CHILD_SUBREAPER = 36

_host = None
_worker_pid = None
_forked = False
_current_run = None
_code_cache = {}
_CODE_CACHE_LIMIT = 500


class DffCheckError(Exception):
    """A publish-check rule broken at a known line."""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.line = line


def install(host, max_processes=0):
    """Called once by the worker (started as its unprivileged user): keeps the channel, limits the
    processes, and points fd 1 away from anything that matters."""
    global _host, _worker_pid
    _host = host
    _worker_pid = os.getpid()
    if max_processes:
        resource.setrlimit(resource.RLIMIT_NPROC, (max_processes, max_processes))
    os.register_at_fork(after_in_parent=_note_fork)
    # subprocess, spawn and system start processes without the at-fork hooks; ctypes could fork
    # directly. A run that did any of these makes the silo look for processes it left.
    sys.addaudithook(_note_process_events)
    # Orphans of forked processes come back to the worker, so the silo sees them as its children.
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    sys.stdout = io.TextIOWrapper(open(1, 'wb', closefd=False), write_through=True)
    signal.signal(signal.SIGALRM, dff_timelimit.on_alarm)
    sys.meta_path.insert(0, _ScriptImporter())
    sys.meta_path.insert(0, _LoopbackFreePaho())


def _callback(name, **args):
    """Asks the silo something; raises LookupError with the silo's message when it cannot answer."""
    _require_worker_process()
    if name not in dff_protocol.CALLBACKS:
        raise ValueError('%r is not a callback of the worker protocol' % (name,))
    reply = json.loads(str(_host.Callback(name, json.dumps(args))))
    if not reply.get('ok'):
        raise LookupError(reply.get('error') or 'callback %s failed' % name)
    return reply.get('value')


def run_forked():
    """Whether the last run forked a process (asked by the .NET worker after each run)."""
    return _forked


def ready_info():
    return json.dumps({'pid': os.getpid(), 'pythonVersion': sys.version.split()[0]})


def protocol_error(message):
    return json.dumps({'status': 'failure', 'printLogs': [], 'cost': 0,
                       'error': {'type': 'ProtocolError', 'message': message, 'line': None, 'traceback': ''}})


def handle(request_json):
    global _current_run
    request = json.loads(request_json)
    mode = request.get('mode')
    if mode not in dff_protocol.SCRIPT_MODES:
        return protocol_error('unknown mode %r' % (mode,))
    global _forked
    _forked = False
    _current_run = _Run(request)
    try:
        outcome = _current_run.run_func() if mode == 'run' else _current_run.check()
        _require_worker_process()
        result = outcome.pop('result', None)
        if isinstance(result, JsonText) and len(outcome) == 3:
            # The usual answer (status, printLogs, cost and the result), written directly.
            logs = outcome['printLogs']
            return '{"status": "success", "printLogs": %s, "cost": %r, "result": %s}' % (
                encode_answer(logs) if logs else '[]', outcome['cost'], result)
        answer = encode_answer(outcome)
        if isinstance(result, JsonText):
            answer = answer[:-1] + ', "result": ' + result + '}'
        return answer
    finally:
        _current_run.forget_imports()
        _current_run = None


def handle_source(request_json):
    """A source run frame: a data source check, debug-panel query or structure listing asked by the console."""
    request = json.loads(request_json)
    if request.get('mode') not in dff_protocol.ADMIN_MODES:
        return protocol_error('unknown data source mode %r' % (request.get('mode'),))
    dff_timelimit.arm(request.get('timeout', 15))
    try:
        outcome = dff_datasources.run_admin(request)
    finally:
        dff_timelimit.disarm()
    return json.dumps(outcome, ensure_ascii=False, default=str)


class _LoopbackFreePaho:
    """paho-mqtt (1.x) makes its wake-up socket pair through a loopback listener, which the worker's
    sandbox refuses (scripts may not listen): once its client module is loaded, it gets the
    system's socket pair instead, which needs no address."""

    _NAME = 'paho.mqtt.client'

    def find_spec(self, name, path=None, target=None):
        if name != self._NAME:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is not None and spec.loader is not None:
            load = spec.loader.exec_module

            def exec_module(module):
                load(module)
                if hasattr(module, '_socketpair_compat'):
                    module._socketpair_compat = socket.socketpair
            spec.loader.exec_module = exec_module
        return spec


def _note_fork():
    global _forked
    _forked = True


_PROCESS_EVENTS = frozenset(['os.fork', 'os.forkpty', 'os.posix_spawn', 'os.spawn', 'os.system', 'os.exec',
                             'subprocess.Popen', 'pty.spawn', 'os.startfile'])


def _note_process_events(event, args):
    if event in _PROCESS_EVENTS or event.startswith('ctypes.'):
        _note_fork()


def _require_worker_process():
    """A process forked by user code must never talk on the worker's channel: it ends here."""
    if os.getpid() != _worker_pid:
        os._exit(1)


# ---------------------------------------------------------------- one run

class _Run:
    """State of one run: the print log, the scripts loaded, the DFF object the scripts see."""

    def __init__(self, request):
        self.request = request
        self.script_id = request['scriptId']
        self.print_logs = []
        self.user_files = {self.script_id}
        self.imported = []
        self.modules = {}
        self.pending_imports = {}
        self.env_cache = {}
        self.funcs = []
        self.lists_funcs = request.get('mode') == 'check'
        self.start = time.perf_counter()
        self.start_time = time.time()
        self.dff = _Dff(self)

    # -- modes

    def run_func(self):
        func_name = self.request.get('funcName') or ''
        kwargs = self.request.get('kwargs') or {}
        outcome = {'status': 'success', 'result': None}
        dff_timelimit.arm(self.request.get('timeout', 30))
        try:
            scope = self._execute(self.script_id, self.request.get('code'), self.request.get('codeMD5'))
            func = scope.get(func_name)
            if func_name.startswith('_') or not inspect.isfunction(func):
                raise _FuncNotFound('No such func: %s.%s' % (self.script_id, func_name))
            result = func(**kwargs)
            if isinstance(result, BaseException):
                raise result
            if isinstance(result, _Response):
                outcome['responseControl'] = result.control
                result = result.data
            try:
                # Serialized once here (a failure is the func's error); handle() splices it into the answer.
                outcome['result'] = JsonText(encode_result(result))
            except (TypeError, ValueError) as e:
                raise _ResultNotSerializable('Func response cannot be serialized as JSON: %s' % (e,)) from None
        except DffTimeout as e:
            outcome = {'status': 'timeout', 'error': self._describe(e)}
        except BaseException as e:  # user code may raise anything, SystemExit included
            outcome = {'status': 'failure', 'error': self._describe(e)}
        finally:
            dff_timelimit.disarm()
        return self._finish(outcome)

    def check(self):
        outcome = {'status': 'success'}
        dff_timelimit.arm(self.request.get('timeout', 30))
        try:
            _check_indentation(self.script_id, self.request['code'])
            self._execute(self.script_id, self.request['code'], self.request.get('codeMD5'))
            outcome['funcs'] = self.funcs
        except DffTimeout as e:
            outcome = {'status': 'timeout', 'error': self._describe(e)}
        except BaseException as e:
            outcome = {'status': 'failure', 'error': self._describe(e)}
        finally:
            dff_timelimit.disarm()
        return self._finish(outcome)

    def _finish(self, outcome):
        outcome['printLogs'] = self.print_logs
        outcome['cost'] = round(time.perf_counter() - self.start, 6)
        return outcome

    # -- executing scripts

    def _execute(self, script_id, code, code_md5, scope=None):
        compiled = _compile(script_id, code, code_md5)
        scope = {} if scope is None else scope
        scope.update({
            '__name__': script_id,
            '__file__': script_id,
            # The shared builtins, as in any module (a copy per run costs more than the run of a
            # small func); print is the run's own, as a global of the script.
            '__builtins__': builtins.__dict__,
            'print': self._print,
            'DFF': self.dff,
        })
        scope.update(self._context_variables(script_id))
        exec(compiled, scope)
        return scope

    def forget_imports(self):
        # Imported scripts are per run: the next run imports them afresh (globals never leak).
        for script_id in self.imported:
            sys.modules.pop(script_id, None)

    def _context_variables(self, script_id):
        context = self.request.get('context') or {}
        variables = {}
        for key, value in context.items():
            name = dff_protocol.CONTEXT_VARIABLES.get(key)
            if name is None:
                raise ValueError('%r is not a context field of the worker protocol' % (key,))
            variables[name] = value
        variables['_DFF_SCRIPT_ID'] = script_id
        variables['_DFF_SCRIPT_SET_ID'] = script_id.split('__', 1)[0]
        variables['_DFF_DEBUG'] = context.get('debug') == 'true'
        chain = context.get('funcChain')
        variables['_DFF_FUNC_CHAIN'] = json.loads(chain) if chain else []
        for delay in ('_DFF_CRONTAB_DELAY', '_DFF_CRON_JOB_DELAY'):
            if delay in variables:
                variables[delay] = int(variables[delay])
        if context.get('httpRequest'):
            request = json.loads(context['httpRequest'])
            request['headers'] = CaseInsensitiveDict(request.get('headers') or {})
            variables['_DFF_HTTP_REQUEST'] = request
        trigger_time = float(context.get('triggerTime') or self.start_time)
        variables['_DFF_TRIGGER_TIME'] = int(trigger_time)
        variables['_DFF_TRIGGER_TIME_MS'] = int(trigger_time * 1000)
        variables['_DFF_START_TIME'] = int(self.start_time)
        variables['_DFF_START_TIME_MS'] = int(self.start_time * 1000)
        return variables

    def _print(self, *values, sep=' ', end='\n', file=None, flush=False):
        self.print_logs.append(sep.join(str(v) for v in values))

    # -- errors

    def _describe(self, error):
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename in self.user_files]
        line = frames[-1].lineno if frames else None
        if isinstance(error, SyntaxError) and error.filename in self.user_files:
            line = error.lineno
        if isinstance(error, DffCheckError) and error.line is not None:
            line = error.line
        message = str(error) if not isinstance(error, SyntaxError) else (error.msg or str(error))
        type_name = _public_type_name(error)
        lines = ['Traceback (most recent call last):\n'] + traceback.format_list(frames) if frames else []
        if isinstance(error, SyntaxError):
            lines += traceback.format_exception_only(type(error), error)
        else:
            lines.append('%s: %s\n' % (type_name, message) if message else type_name + '\n')
        return {
            'type': type_name,
            'message': message,
            'line': line,
            'traceback': ''.join(lines),
        }

    # -- publish check: the DFF.API decorator records funcs here

    def register_func(self, func, title, options):
        name = func.__name__
        line = func.__code__.co_firstlineno
        if any(f['name'] == name for f in self.funcs):
            raise DffCheckError('Duplicated func name: %s' % name, line)
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
        self.funcs.append({
            'name': name,
            'title': title,
            'description': inspect.cleandoc(func.__doc__) if func.__doc__ else None,
            'definition': '%s%s' % (name, signature),
            'args': args,
            'kwargs': kwargs,
            'category': options.pop('category', None) or 'general',
            'tags': sorted(set(options.pop('tags', None) or [])),
            'options': options,
            'line': line,
        })


class _FuncNotFound(Exception):
    pass


class _ResultNotSerializable(Exception):
    pass


def _public_type_name(error):
    names = {_FuncNotFound: 'FuncNotFound', _ResultNotSerializable: 'FuncResultNotSerializable',
             DffTimeout: 'FuncTimeout', DffCheckError: 'ScriptCheckError'}
    return names.get(type(error), type(error).__name__)


def _json_or_marker(value):
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError):
        return '<Complex Object>'


def _compile(script_id, code, code_md5):
    """Compiled code objects cached by script ID + MD5, with their source for tracebacks. A run
    request leaves the code out (it can be large, and a worker sees the same few scripts again
    and again): a worker that does not have it yet asks the silo once."""
    key = (script_id, code_md5)
    cached = _code_cache.get(key) if code_md5 else None
    if cached is None:
        if code is None:
            code = _callback('runCode')
        cached = (compile(code, script_id, 'exec'), len(code), code.splitlines(True))
        if code_md5:
            if len(_code_cache) >= _CODE_CACHE_LIMIT:
                _code_cache.clear()
            _code_cache[key] = cached
    compiled, size, lines = cached
    linecache.cache[script_id] = (size, None, lines, script_id)
    return compiled


def _check_indentation(script_id, code):
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


# ---------------------------------------------------------------- importing other scripts

_SCRIPT_ID = re.compile(r'^[a-zA-Z_][a-zA-Z0-9_]*?__[a-zA-Z_][a-zA-Z0-9_]*$')


class _ScriptImporter(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """`import set__script` (any set) and `import __script` (same set) load published scripts,
    once per run: both names of a script give the same module."""

    def find_spec(self, fullname, path, target=None):
        run = _current_run
        if run is None or path is not None or (fullname.startswith('__') and fullname.endswith('__')):
            return None
        script_id = run.script_id.split('__', 1)[0] + fullname if fullname.startswith('__') else fullname
        if not _SCRIPT_ID.match(script_id):
            return None
        if script_id not in run.modules:
            try:
                run.pending_imports[script_id] = _callback('getPublishedCode', scriptId=script_id)
            except LookupError:
                return None
        spec = importlib.util.spec_from_loader(fullname, self)
        spec.loader_state = script_id
        return spec

    def create_module(self, spec):
        return _current_run.modules.get(spec.loader_state)

    def exec_module(self, module):
        run = _current_run
        script_id = module.__spec__.loader_state
        run.imported.append(module.__spec__.name)
        if script_id in run.modules:
            return
        published = run.pending_imports.pop(script_id)
        run.modules[script_id] = module
        run.user_files.add(script_id)
        run._execute(script_id, published['code'], published['codeMD5'], module.__dict__)


# ---------------------------------------------------------------- the DFF object

_API_OPTIONS = {
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


_MAX_FUNC_CHAIN = 5


class _Response:
    """A func result with HTTP response control (DFF.RESP, DFF.REDIRECT)."""

    def __init__(self, data, control):
        self.data = data
        self.control = control


def _resource_root():
    return os.environ.get('DFF_RESOURCE_ROOT') or '/nonexistent'


def _resource_path(relative):
    """A path inside the resource folder; anything that resolves outside it is refused."""
    if not isinstance(relative, str) or not relative:
        raise ValueError('A resource file path is required')
    root = os.path.realpath(_resource_root())
    path = os.path.realpath(os.path.join(root, relative.lstrip('/')))
    if os.path.commonpath([root, path]) != root:
        raise PermissionError('The file path leaves the resource folder: %s' % relative)
    return path


def _response_control(status_code=None, content_type=None, headers=None, allow_304=False, download=False):
    if status_code is not None and not (isinstance(status_code, int) and 100 <= status_code <= 599):
        raise ValueError('status_code must be an HTTP status between 100 and 599')
    if content_type is not None and not isinstance(content_type, str):
        raise ValueError('content_type must be a string such as "json", "html" or "text/csv"')
    if headers is not None and not (isinstance(headers, dict) and all(isinstance(k, str) for k in headers)):
        raise ValueError('headers must be a dict with string keys')
    if not isinstance(download, (bool, str)):
        raise ValueError('download must be True, False or a file name')
    return {'statusCode': status_code, 'contentType': content_type,
            'headers': {k: str(v) for k, v in (headers or {}).items()}, 'allow304': bool(allow_304), 'download': download}


class _Cache:
    """DFF.CACHE: a Redis-like cache held in the cluster; values come back as str. Each key is
    namespaced by `scope` (default: the running script's ID)."""

    def __init__(self, run):
        self._run = run

    def _do(self, command, key, *args, scope=None):
        if not isinstance(key, str):
            raise TypeError('DFF.CACHE keys are strings')
        return _callback('cache', scope=scope or self._run.script_id, command=command, key=key,
                         args=['' if a is None else ('true' if a is True else 'false' if a is False else str(a)) for a in args])

    def set(self, key, value, scope=None, expires=None, not_exists=False, expire=None):
        return self._do('set', key, value, expires or expire, bool(not_exists), scope=scope)

    def get(self, key, scope=None):
        return self._do('get', key, scope=scope)

    def getset(self, key, value, scope=None):
        return self._do('getset', key, value, scope=scope)

    def delete(self, key, scope=None):
        return self._do('delete', key, scope=scope)

    def exists(self, key, scope=None):
        return self._do('exists', key, scope=scope)

    def type(self, key, scope=None):
        return self._do('type', key, scope=scope)

    def expire(self, key, expires, scope=None):
        return self._do('expire', key, expires, scope=scope)

    def ttl(self, key, scope=None):
        return self._do('ttl', key, scope=scope)

    def incr(self, key, step=1, scope=None):
        return self._do('incrby', key, step, scope=scope)

    incrby = incr

    def keys(self, pattern='*', scope=None):
        return self._do('keys', pattern, scope=scope)

    def hset(self, key, field, value, scope=None, not_exists=False):
        return self._do('hset', key, field, value, bool(not_exists), scope=scope)

    def hsetnx(self, key, field, value, scope=None):
        return self.hset(key, field, value, scope=scope, not_exists=True)

    def hget(self, key, field, scope=None):
        return self._do('hget', key, field, scope=scope)

    def hgetall(self, key, scope=None):
        return self._do('hgetall', key, scope=scope)

    def hkeys(self, key, scope=None):
        return self._do('hkeys', key, scope=scope)

    def hdel(self, key, *fields, scope=None):
        return self._do('hdel', key, *fields, scope=scope)

    def lpush(self, key, *values, scope=None):
        return self._do('lpush', key, *values, scope=scope)

    def rpush(self, key, *values, scope=None):
        return self._do('rpush', key, *values, scope=scope)

    def lpop(self, key, scope=None):
        return self._do('lpop', key, scope=scope)

    def rpop(self, key, scope=None):
        return self._do('rpop', key, scope=scope)

    def llen(self, key, scope=None):
        return self._do('llen', key, scope=scope)

    def lrange(self, key, start=0, stop=-1, scope=None):
        return self._do('lrange', key, start, stop, scope=scope)

    push = lpush
    pop = rpop


class _Dff:
    """What user scripts see as `DFF`. Unknown members are None, as in DataFlux Func."""

    def __init__(self, run):
        self._run = run
        self.CTX = {}
        self.CACHE = _Cache(run)

    def API(self, title=None, **options):
        if title is not None and not isinstance(title, str):
            raise DffCheckError('DFF.API title must be a string')
        for name, value in options.items():
            rule = _API_OPTIONS.get(name)
            if rule is None:
                raise DffCheckError('Unknown DFF.API option: %s' % name)
            if not rule(value):
                raise DffCheckError('Invalid value for DFF.API option %s: %r' % (name, value))

        def decorate(func):
            # Only the publish check keeps the func list: describing a func (its signature) costs
            # several times a whole run, and a run would throw the list away.
            if not self._run.lists_funcs:
                return func
            frame = inspect.currentframe().f_back
            if frame is not None and frame.f_globals.get('__name__') == self._run.script_id and func.__qualname__ == func.__name__:
                self._run.register_func(func, title, dict(options))
            return func

        return decorate

    def LOG(self, message):
        self._run.print_logs.append(str(message))

    def RESP(self, data, status_code=None, content_type=None, headers=None, allow_304=False, download=False):
        return _Response(data, _response_control(status_code, content_type, headers, allow_304, download))

    def REDIRECT(self, url):
        if not isinstance(url, str) or not url:
            raise ValueError('DFF.REDIRECT needs a URL')
        control = _response_control(302, 'html', {'Location': urllib.parse.quote(url, safe=":/?#[]@!$&'()*+,;=%")})
        return _Response('<a href="%s">Redirecting</a>' % html.escape(url, quote=True), control)

    def FUNC(self, func_id, kwargs=None):
        """Queues another exported func as a new task (fire and forget); returns its task ID."""
        if not isinstance(func_id, str) or '.' not in func_id:
            raise ValueError('DFF.FUNC needs a func ID like "set__script.func"')
        if kwargs is not None and not isinstance(kwargs, dict):
            raise TypeError('DFF.FUNC kwargs must be a dict')
        context = self._run.request.get('context') or {}
        current = context.get('funcId') or '%s.%s' % (self._run.script_id, self._run.request.get('funcName'))
        chain = json.loads(context.get('funcChain') or '[]') + [current]
        if func_id in chain:
            raise RuntimeError('DFF.FUNC call loop: %s is already in the chain %s' % (func_id, ' -> '.join(chain)))
        if len(chain) >= _MAX_FUNC_CHAIN:
            raise RuntimeError('DFF.FUNC call chain is limited to %d funcs: %s' % (_MAX_FUNC_CHAIN, ' -> '.join(chain + [func_id])))
        return _callback('callFunc', funcId=func_id, kwargs=json.loads(json.dumps(kwargs or {})), chain=chain)

    def RESP_FILE(self, file_path, status_code=None, headers=None, allow_304=False, auto_delete=False, download=True):
        """Responds with a file of the resource folder (path relative to it); it must exist now."""
        path = _resource_path(file_path)
        if not os.path.isfile(path):
            raise FileNotFoundError('No such file in the resource folder: %s' % file_path)
        if download is True:
            download = os.path.basename(path)
        control = _response_control(status_code, None, headers, allow_304, download)
        control.update({'filePath': path, 'autoDelete': bool(auto_delete)})
        return _Response(None, control)

    def RESP_LARGE_DATA(self, data, content_type=None):
        """Sends a large result through a temporary file instead of the channel."""
        is_json = isinstance(data, (dict, list, tuple))
        folder = os.path.join(_resource_root(), '.downloads')
        name = '%s.%s' % (uuid.uuid4().hex, 'json' if is_json else 'txt')
        path = os.path.join(folder, name)
        with open(path, 'w', encoding='utf-8') as target:
            target.write(json.dumps(data, ensure_ascii=False) if is_json else str(data))
        os.chmod(path, 0o644)
        control = _response_control(None, content_type or ('json' if is_json else 'text'), None, False, False)
        control.update({'filePath': path, 'autoDelete': True})
        return _Response(None, control)

    def SRC(self, source_id, **helper_options):
        """The helper of a data source, by ID."""
        source = _callback('getDataSource', id=str(source_id)) if source_id else None
        if source is None:
            raise LookupError('No such data source: %r' % (source_id,))
        return dff_datasources.helper(source, **helper_options)

    def ENV(self, env_id):
        """The env variable converted by its auto type, or None when missing or unconvertible."""
        cache = self._run.env_cache
        if env_id not in cache:
            variable = _callback('getEnvVariable', id=str(env_id))
            cache[env_id] = None if variable is None else cast(variable['value'], variable['autoTypeCasting'])
        return copy.deepcopy(cache[env_id])

    def __getattr__(self, name):
        lower = {'api': 'API', 'log': 'LOG', 'ctx': 'CTX', 'env': 'ENV', 'resp': 'RESP', 'redirect': 'REDIRECT', 'src': 'SRC', 'cache': 'CACHE', 'func': 'FUNC',
                 'resp_file': 'RESP_FILE', 'resp_large_data': 'RESP_LARGE_DATA'}
        if name in lower:
            return getattr(self, lower[name])
        return None
