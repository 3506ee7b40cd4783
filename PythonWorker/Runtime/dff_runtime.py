"""The DFF runtime inside a Python worker: runs user scripts the way DataFlux Func does.

The .NET worker calls `handle(request_json)` for each run frame (`handle_source` for a data
source's) and sends back the JSON string it returns, as a forked result when `run_forked()` says so.
The fields of requests, results and callbacks are named in `dff_protocol` (the mirror of the silo's
`WorkerMessages`); runs leave the code out (see `_compile`):

* mode "run": execute the script with fresh globals, call `funcName(**kwargs)`, return
  `{status, result, printLogs, cost, error?}`;
* mode "check": the publish check, return `{status, funcs, notes, printLogs, cost, error?}` (`notes`: what a 1.x
  script will find otherwise here, `dff_review`).

`status` is "success", "failure" or "timeout"; `error` is `{type, message, line, traceback}` with
the traceback limited to frames of user scripts.

The other modules: `dff_channel` (callbacks to the silo, processes a run starts), `dff_object` (the
`DFF` object), `dff_check` (publish-check rules), `dff_importer` (importing other scripts),
`dff_timelimit`, `dff_values`, `dff_datasources`, `dff_paho`.

What only some runs need (data sources, the publish check's review, tracebacks, threads) is imported where it is
used: every module imported here is time and memory of every worker's start.
"""

import builtins
import io
import json
import linecache
import os
import resource
import signal
import sys
import time
import types

import dff_channel
import dff_protocol
import dff_timelimit
from dff_check import DffCheckError, check_func_id, check_indentation, describe_func
from dff_importer import ScriptImporter, install_short_names
from dff_object import Dff, Response
from dff_paho import LoopbackFreePaho
from dff_timelimit import DffTimeout
from dff_values import CaseInsensitiveDict, JsonText, decode_request, deep_size, encode_answer, encode_result

_current_run = None
_code_cache = {}
_CODE_CACHE_LIMIT = 500

# Every context variable of a run that has none of its own, as 1.x's runner defined them.
_VARIABLE_DEFAULTS = dict.fromkeys(dff_protocol.CONTEXT_VARIABLES.values(), None) | {
    '_DFF_EXEC_MODE': 'sync', '_DFF_CRON_JOB_DELAY': 0}


def install(host, max_processes=0):
    """Called once by the worker (started as its unprivileged user): keeps the channel, limits the
    processes, and points fd 1 away from anything that matters."""
    dff_channel.install(host)
    if max_processes:
        resource.setrlimit(resource.RLIMIT_NPROC, (max_processes, max_processes))
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    sys.stdout = io.TextIOWrapper(open(1, 'wb', closefd=False), write_through=True)
    signal.signal(signal.SIGALRM, dff_timelimit.on_alarm)
    sys.meta_path.insert(0, ScriptImporter(lambda: _current_run))
    install_short_names(lambda: _current_run)
    sys.meta_path.insert(0, LoopbackFreePaho())


def run_forked():
    """Whether the last run forked a process (asked by the .NET worker after each run)."""
    return dff_channel.run_forked()


def ready_info():
    return json.dumps({'pid': os.getpid(), 'pythonVersion': sys.version.split()[0]})


def protocol_error(message):
    return json.dumps({'status': 'failure', 'printLogs': [], 'cost': 0,
                       'error': {'type': 'ProtocolError', 'message': message, 'line': None, 'traceback': ''}})


def _as_text(answer):
    """The answer as text the silo can take: a lone surrogate ('\\ud800', which a script can make but which is no
    character) in a result, a log or an error cannot cross as UTF-8 and would end the worker; it becomes U+FFFD, as
    DataFlux Func's Express sent such text. (Callers skip it for ASCII answers, most of them: `isascii` is a flag.)"""
    try:
        answer.encode('utf-8')
        return answer
    except UnicodeEncodeError:
        return ''.join('\ufffd' if '\ud800' <= c <= '\udfff' else c for c in answer)


def handle(request_json):
    global _current_run
    request = decode_request(request_json)
    mode = request.get('mode')
    if mode not in dff_protocol.SCRIPT_MODES:
        return protocol_error('unknown mode %r' % (mode,))
    dff_channel.start_run()
    _current_run = _Run(request)
    try:
        outcome = _current_run.run_func() if mode == 'run' else _current_run.check(run_tests=mode == 'test')
        dff_channel.require_worker_process()
        result = outcome.pop('result', None)
        if isinstance(result, JsonText) and len(outcome) == 3:
            # The usual answer (status, printLogs, cost and the result), written directly.
            logs = outcome['printLogs']
            answer = '{"status": "success", "printLogs": %s, "cost": %r, "result": %s}' % (
                encode_answer(logs) if logs else '[]', outcome['cost'], result)
            return answer if answer.isascii() else _as_text(answer)
        answer = encode_answer(outcome)
        if isinstance(result, JsonText):
            answer = answer[:-1] + ', "result": ' + result + '}'
        return answer if answer.isascii() else _as_text(answer)
    finally:
        _current_run.forget_imports()
        _current_run = None


def handle_source(request_json):
    """A source run frame: a data source check, debug-panel query or structure listing asked by the console."""
    request = decode_request(request_json)
    if request.get('mode') not in dff_protocol.ADMIN_MODES:
        return protocol_error('unknown data source mode %r' % (request.get('mode'),))
    dff_timelimit.arm(request.get('timeout', 15))
    try:
        import dff_datasources
        outcome = dff_datasources.run_admin(request)
    finally:
        dff_timelimit.disarm()
    answer = json.dumps(outcome, ensure_ascii=False, default=str)
    return answer if answer.isascii() else _as_text(answer)


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
        self.secrets = set()
        self.funcs = []
        self.lists_funcs = request.get('mode') in ('check', 'test')
        self.start_ns = time.perf_counter_ns()
        self.start_time = time.time()
        self.dff = Dff(self)

    # -- modes

    def run_func(self):
        func_name = self.request.get('funcName') or ''
        kwargs = self.request.get('kwargs') or {}
        outcome = {'status': 'success', 'result': None}
        dff_timelimit.arm(self.request.get('timeout', 30))
        try:
            scope = self.execute(self.script_id, self.request.get('code'), self.request.get('codeMD5'))
            func = scope.get(func_name)
            if func_name.startswith('_') or not isinstance(func, types.FunctionType):
                raise _FuncNotFound('No such func: %s.%s' % (self.script_id, func_name))
            result = func(**kwargs)
            self.dff._finish_threads()
            if isinstance(result, BaseException):
                raise result
            if isinstance(result, Response):
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
            # Past the time limit this may wait for ever: the silo then kills the worker, threads and all.
            self.dff._finish_threads()
        return self._finish(outcome)

    def check(self, run_tests=False):
        outcome = {'status': 'success'}
        dff_timelimit.arm(self.request.get('timeout', 30))
        try:
            check_indentation(self.request['code'])
            scope = self.execute(self.script_id, self.request['code'], self.request.get('codeMD5'))
            if run_tests:
                self._run_tests(scope)
            outcome['funcs'] = self.funcs
            import dff_review
            outcome['notes'] = dff_review.review(self.request['code'], self.script_id)
        except DffTimeout as e:
            outcome = {'status': 'timeout', 'error': self._describe(e)}
        except BaseException as e:
            outcome = {'status': 'failure', 'error': self._describe(e)}
        finally:
            dff_timelimit.disarm()
            self.dff._finish_threads()
        return self._finish(outcome)

    def _run_tests(self, scope):
        """The script's own top-level `test_*` functions, in the order they are defined, each without arguments; the first
        that raises fails the check at the line where it failed."""
        tests = [(name, value) for name, value in scope.items()
                 if name.startswith('test_') and isinstance(value, types.FunctionType) and value.__module__ == self.script_id]
        for name, test in tests:
            import traceback
            try:
                test()
            except DffTimeout:
                raise
            except Exception as error:
                frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename in self.user_files]
                line = frames[-1].lineno if frames else test.__code__.co_firstlineno
                raise DffCheckError('%s failed: %s' % (name, ''.join(traceback.format_exception_only(type(error), error)).strip()), line) from None
        self.print_logs.append('[TEST] %d passed: %s' % (len(tests), ', '.join(name for name, _ in tests)) if tests else '[TEST] no test_* functions')

    def _finish(self, outcome):
        if self.secrets:
            self._mask_secrets(outcome)
        outcome['printLogs'] = self.print_logs
        # Whole microseconds, in seconds: round(seconds, 6) converts through decimal text, a few per cent of a small run.
        outcome['cost'] = (time.perf_counter_ns() - self.start_ns) // 1000 / 1e6
        return outcome

    def _mask_secrets(self, outcome):
        """Password env variables read by the run never reach its print log or error (DataFlux Func masks them too)."""
        secrets = sorted(self.secrets, key=len, reverse=True)

        def masked(text):
            for secret in secrets:
                text = text.replace(secret, '*****')
            return text

        self.print_logs = [masked(line) for line in self.print_logs]
        error = outcome.get('error')
        if error:
            error['message'] = masked(error['message'])
            error['traceback'] = masked(error['traceback'])

    # -- executing scripts

    def execute(self, script_id, code, code_md5, scope=None):
        compiled = _compile(script_id, code, code_md5)
        variables = self._context_variables()
        if scope is None:
            scope = variables  # a new dict: the module's globals
        else:
            scope.update(variables)
        scope['__name__'] = scope['__file__'] = script_id
        # The shared builtins, as in any module (a copy per run costs more than the run of a small func); print is the
        # run's own, as a global of the script.
        scope['__builtins__'] = builtins.__dict__
        scope['print'] = self._print
        scope['print_var'] = self.print_var
        scope['DFF'] = self.dff if script_id == self.script_id else self.dff.for_imported(script_id)
        exec(compiled, scope)
        return scope

    def forget_imports(self):
        # Imported scripts are per run: the next run imports them afresh (globals never leak).
        for script_id in self.imported:
            sys.modules.pop(script_id, None)

    def func_chain(self):
        """The callers, then the running func (1.x's runner appends it); none at the publish check, which runs no func."""
        context = self.request.get('context') or {}
        chain = context.get('funcChain')
        return (json.loads(chain) if chain else []) + ([context['funcId']] if 'funcId' in context else [])

    def _context_variables(self):
        """The `_DFF_*` variables of every module of the run. As in 1.x, each is defined in every run (None where the run
        has none: a crontab's in a call, a task's in the publish check), and an imported script sees its caller's
        (`_custom_import` copies them), `_DFF_SCRIPT_ID` included."""
        context = self.request.get('context') or {}
        names = dff_protocol.CONTEXT_VARIABLES
        variables = _VARIABLE_DEFAULTS.copy()  # a copy of a dict made once: a third of building it again
        try:
            for key, value in context.items():
                variables[names[key]] = value
        except KeyError as unknown:
            raise ValueError('%r is not a context field of the worker protocol' % (unknown.args[0],)) from None
        variables['_DFF_SCRIPT_ID'] = self.script_id
        variables['_DFF_SCRIPT_SET_ID'] = self.script_id.split('__', 1)[0]
        variables['_DFF_DEBUG'] = context.get('debug') == 'true'
        variables['_DFF_FUNC_CHAIN'] = self.func_chain()
        for delay in ('_DFF_CRONTAB_DELAY', '_DFF_CRON_JOB_DELAY', '_DFF_TASK_ATTEMPT'):
            if isinstance(variables[delay], str):
                variables[delay] = int(variables[delay])
        # As in DataFlux Func, every run has the name: the calling request, or {} for runs no request started (crontab
        # firings, DFF.FUNC), so that a script reading it fails on a missing key, not on a NameError.
        request = context.get('httpRequest') or {}
        # An object in the request (the silo writes it as is); a string of it from an older silo in the cluster.
        if isinstance(request, str):
            request = json.loads(request)
        if 'headers' in request:
            request['headers'] = CaseInsensitiveDict.of(request['headers'] or {})
        variables['_DFF_HTTP_REQUEST'] = request
        trigger = context.get('triggerTime')
        trigger_time = float(trigger) if trigger else self.start_time
        variables['_DFF_TRIGGER_TIME'] = int(trigger_time)
        variables['_DFF_TRIGGER_TIME_MS'] = int(trigger_time * 1000)
        variables['_DFF_START_TIME'] = int(self.start_time)
        variables['_DFF_START_TIME_MS'] = int(self.start_time * 1000)
        return variables

    def _print(self, *values, sep=' ', end='\n', file=None, flush=False):
        self.print_logs.append(sep.join(str(v) for v in values))

    def print_var(self, *values, **named):
        """`print_var(...)` / `DFF.VAR(...)`: each value's type, text and deep size, one line each."""
        for value in values:
            self._print('[VAR] type=`%s`, value=`%s`, obj_size=`%d`' % (type(value), value, deep_size(value)))
        for name, value in named.items():
            self._print('[VAR] %s: type=`%s`, value=`%s`, obj_size=`%d`' % (name, type(value), value, deep_size(value)))

    # -- errors

    def _describe(self, error):
        import traceback
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
        check_func_id(self.script_id, func)
        if any(f['name'] == func.__name__ for f in self.funcs):
            raise DffCheckError('Duplicated func name: %s' % func.__name__, func.__code__.co_firstlineno)
        self.funcs.append(describe_func(func, title, options))


class _FuncNotFound(Exception):
    pass


class _ResultNotSerializable(Exception):
    pass


def _public_type_name(error):
    names = {_FuncNotFound: 'FuncNotFound', _ResultNotSerializable: 'FuncResultNotSerializable',
             DffTimeout: 'FuncTimeout', DffCheckError: 'ScriptCheckError'}
    return names.get(type(error), type(error).__name__)


def _compile(script_id, code, code_md5):
    """Compiled code objects cached by script ID + MD5, with their source for tracebacks. A run
    request leaves the code out (it can be large, and a worker sees the same few scripts again
    and again): a worker that does not have it yet asks the silo once."""
    key = (script_id, code_md5)
    cached = _code_cache.get(key) if code_md5 else None
    if cached is None:
        if code is None:
            code = dff_channel.callback('runCode')
        cached = (compile(code, script_id, 'exec'), len(code), code.splitlines(True))
        if code_md5:
            if len(_code_cache) >= _CODE_CACHE_LIMIT:
                _code_cache.clear()
            _code_cache[key] = cached
    compiled, size, lines = cached
    linecache.cache[script_id] = (size, None, lines, script_id)
    return compiled
