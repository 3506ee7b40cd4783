"""`DFF`, the object user scripts see: the DataFlux Func script API (`DFF.API`, `DFF.RESP`,
`DFF.FUNC`, `DFF.SRC`, `DFF.ENV`, `DFF.CACHE`, ...). It reads the run it belongs to
(`run.request`, `run.script_id`, ...) and asks the silo through `dff_channel.callback`."""

import copy
import html
import inspect
import json
import os
import urllib.parse
import uuid

import dff_datasources
from dff_channel import callback
from dff_check import check_api_options
from dff_values import cast

MAX_FUNC_CHAIN = 5


class Response:
    """A func result with HTTP response control (DFF.RESP, DFF.REDIRECT)."""

    def __init__(self, data, control):
        self.data = data
        self.control = control


def resource_root():
    return os.environ.get('DFF_RESOURCE_ROOT') or '/nonexistent'


def resource_path(relative):
    """A path inside the resource folder; anything that resolves outside it is refused."""
    if not isinstance(relative, str) or not relative:
        raise ValueError('A resource file path is required')
    root = os.path.realpath(resource_root())
    path = os.path.realpath(os.path.join(root, relative.lstrip('/')))
    if os.path.commonpath([root, path]) != root:
        raise PermissionError('The file path leaves the resource folder: %s' % relative)
    return path


def response_control(status_code=None, content_type=None, headers=None, allow_304=False, download=False):
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


class Cache:
    """DFF.CACHE: a Redis-like cache held in the cluster; values come back as str. Each key is
    namespaced by `scope` (default: the running script's ID)."""

    def __init__(self, run):
        self._run = run

    def _do(self, command, key, *args, scope=None):
        if not isinstance(key, str):
            raise TypeError('DFF.CACHE keys are strings')
        return callback('cache', scope=scope or self._run.script_id, command=command, key=key,
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


class Dff:
    """What user scripts see as `DFF`. Unknown members are None, as in DataFlux Func."""

    def __init__(self, run):
        self._run = run
        self.CTX = {}
        self.CACHE = Cache(run)

    def API(self, title=None, **options):
        check_api_options(title, options)

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
        return Response(data, response_control(status_code, content_type, headers, allow_304, download))

    def REDIRECT(self, url):
        if not isinstance(url, str) or not url:
            raise ValueError('DFF.REDIRECT needs a URL')
        control = response_control(302, 'html', {'Location': urllib.parse.quote(url, safe=":/?#[]@!$&'()*+,;=%")})
        return Response('<a href="%s">Redirecting</a>' % html.escape(url, quote=True), control)

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
        if len(chain) >= MAX_FUNC_CHAIN:
            raise RuntimeError('DFF.FUNC call chain is limited to %d funcs: %s' % (MAX_FUNC_CHAIN, ' -> '.join(chain + [func_id])))
        return callback('callFunc', funcId=func_id, kwargs=json.loads(json.dumps(kwargs or {})), chain=chain)

    def RESP_FILE(self, file_path, status_code=None, headers=None, allow_304=False, auto_delete=False, download=True):
        """Responds with a file of the resource folder (path relative to it); it must exist now."""
        path = resource_path(file_path)
        if not os.path.isfile(path):
            raise FileNotFoundError('No such file in the resource folder: %s' % file_path)
        if download is True:
            download = os.path.basename(path)
        control = response_control(status_code, None, headers, allow_304, download)
        control.update({'filePath': path, 'autoDelete': bool(auto_delete)})
        return Response(None, control)

    def RESP_LARGE_DATA(self, data, content_type=None):
        """Sends a large result through a temporary file instead of the channel."""
        is_json = isinstance(data, (dict, list, tuple))
        folder = os.path.join(resource_root(), '.downloads')
        name = '%s.%s' % (uuid.uuid4().hex, 'json' if is_json else 'txt')
        path = os.path.join(folder, name)
        with open(path, 'w', encoding='utf-8') as target:
            target.write(json.dumps(data, ensure_ascii=False) if is_json else str(data))
        os.chmod(path, 0o644)
        control = response_control(None, content_type or ('json' if is_json else 'text'), None, False, False)
        control.update({'filePath': path, 'autoDelete': True})
        return Response(None, control)

    def SRC(self, source_id, **helper_options):
        """The helper of a data source, by ID."""
        source = callback('getDataSource', id=str(source_id)) if source_id else None
        if source is None:
            raise LookupError('No such data source: %r' % (source_id,))
        return dff_datasources.helper(source, **helper_options)

    def ENV(self, env_id):
        """The env variable converted by its auto type, or None when missing or unconvertible."""
        cache = self._run.env_cache
        if env_id not in cache:
            variable = callback('getEnvVariable', id=str(env_id))
            cache[env_id] = None if variable is None else cast(variable['value'], variable['autoTypeCasting'])
        return copy.deepcopy(cache[env_id])

    def __getattr__(self, name):
        lower = {'api': 'API', 'log': 'LOG', 'ctx': 'CTX', 'env': 'ENV', 'resp': 'RESP', 'redirect': 'REDIRECT', 'src': 'SRC', 'cache': 'CACHE', 'func': 'FUNC',
                 'resp_file': 'RESP_FILE', 'resp_large_data': 'RESP_LARGE_DATA'}
        if name in lower:
            return getattr(self, lower[name])
        return None
