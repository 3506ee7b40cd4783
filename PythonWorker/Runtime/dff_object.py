"""`DFF`, the object user scripts see: the DataFlux Func script API (`DFF.API`, `DFF.RESP`,
`DFF.FUNC`, `DFF.SRC`, `DFF.ENV`, `DFF.CACHE`, ...). It reads the run it belongs to
(`run.request`, `run.script_id`, ...) and asks the silo through `dff_channel.callback`."""

import copy
import json
import os
import sys

from dff_channel import callback
from dff_check import check_api_options
from dff_sql import format_sql
from dff_thread import FuncThread
from dff_values import cast, encode_result, json_default

MAX_FUNC_CHAIN = 5


class Response:
    """A func result with HTTP response control (DFF.RESP, DFF.REDIRECT)."""

    def __init__(self, data, control):
        self.data = data
        self.control = control


def resource_root():
    """The resource folder of this installation."""
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
    """The response control of DFF.RESP's arguments, checked."""
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
    namespaced by `scope` (default: the ID of the script that calls it, an imported script's its own)."""

    def __init__(self, default_scope):
        self._default_scope = default_scope

    def _do(self, command, key, *args, scope=None):
        if isinstance(key, (int, float)):
            key = str(key)  # 1.x made its Redis key of str(key): DFF.CACHE.get(123) is '123'
        if not isinstance(key, str):
            raise TypeError('DFF.CACHE keys are strings')
        return callback('cache', scope=scope or self._default_scope, command=command, key=key,
                         args=['' if a is None else ('true' if a is True else 'false' if a is False else str(a)) for a in args])

    def set(self, key, value, scope=None, expires=None, not_exists=False, expire=None):
        """Sets a value (as a string), expiring after `expires` seconds; with not_exists only when the key has none."""
        return self._do('set', key, value, expires or expire, bool(not_exists), scope=scope)

    def get(self, key, scope=None):
        """The value of a key as a string, or None."""
        return self._do('get', key, scope=scope)

    def getset(self, key, value, scope=None):
        """Sets a value and returns the one it replaced."""
        return self._do('getset', key, value, scope=scope)

    def delete(self, key, scope=None):
        """Deletes a key; the number of keys deleted."""
        return self._do('delete', key, scope=scope)

    def exists(self, key, scope=None):
        """Whether the key exists (1 or 0)."""
        return self._do('exists', key, scope=scope)

    def type(self, key, scope=None):
        """The key's type: string, hash, list or none."""
        return self._do('type', key, scope=scope)

    def expire(self, key, expires, scope=None):
        """Makes the key expire after `expires` seconds (0 or less: deletes it, as Redis does)."""
        return self._do('expire', key, expires, scope=scope)

    def ttl(self, key, scope=None):
        """Seconds until the key expires (-1: never, -2: no such key)."""
        return self._do('ttl', key, scope=scope)

    def incr(self, key, step=1, scope=None):
        """Adds `step` to an integer value (0 when missing); the new value."""
        return self._do('incrby', key, step, scope=scope)

    incrby = incr

    def keys(self, pattern='*', scope=None):
        """The keys of the scope matching a glob pattern."""
        return self._do('keys', pattern, scope=scope)

    def hset(self, key, field, value, scope=None, not_exists=False):
        """Sets a field of a hash; with not_exists only when the field has none."""
        return self._do('hset', key, field, value, bool(not_exists), scope=scope)

    def hsetnx(self, key, field, value, scope=None):
        """Sets a field of a hash only when the field has none."""
        return self.hset(key, field, value, scope=scope, not_exists=True)

    def hget(self, key, field=None, scope=None):
        """1.x: no field gives the whole hash (its values as bytes, as 1.x's Redis answered them), a list of fields a dict
        of those."""
        if field is None:
            return {name: value.encode('utf-8') for name, value in self.hgetall(key, scope=scope).items()}
        if isinstance(field, (list, tuple)):
            return self.hmget(key, field, scope=scope)
        return self._do('hget', key, field, scope=scope)

    def hmget(self, key, fields, scope=None):
        """A dict of the given fields of a hash."""
        return self._do('hmget', key, *fields, scope=scope)

    def hmset(self, key, obj, scope=None):
        """Sets several fields of a hash from a dict."""
        if not isinstance(obj, dict) or not obj:
            raise TypeError('DFF.CACHE.hmset needs a non-empty dict')
        return self._do('hmset', key, *[item for pair in obj.items() for item in pair], scope=scope)

    def hincr(self, key, field, step=1, scope=None):
        """Adds `step` to an integer field of a hash; the new value."""
        return self._do('hincrby', key, field, step, scope=scope)

    hincrby = hincr

    def hgetall(self, key, scope=None):
        """The whole hash as a dict."""
        return self._do('hgetall', key, scope=scope)

    def hkeys(self, key, pattern='*', scope=None):
        """The fields of a hash matching a glob pattern."""
        return self._do('hkeys', key, pattern, scope=scope)

    def hdel(self, key, *fields, scope=None):
        """Deletes fields of a hash; the number deleted."""
        return self._do('hdel', key, *fields, scope=scope)

    def lpush(self, key, *values, scope=None):
        """Adds values at the head of a list; its new length."""
        return self._do('lpush', key, *values, scope=scope)

    def rpush(self, key, *values, scope=None):
        """Adds values at the tail of a list; its new length."""
        return self._do('rpush', key, *values, scope=scope)

    def lpop(self, key, scope=None):
        """Takes the value at the head of a list (None when empty)."""
        return self._do('lpop', key, scope=scope)

    def rpop(self, key, scope=None):
        """Takes the value at the tail of a list (None when empty)."""
        return self._do('rpop', key, scope=scope)

    def llen(self, key, scope=None):
        """The length of a list."""
        return self._do('llen', key, scope=scope)

    def lrange(self, key, start=0, stop=-1, scope=None):
        """The values of a list from `start` to `stop` (inclusive; -1 is the last)."""
        return self._do('lrange', key, start, stop, scope=scope)

    def ltrim(self, key, start, stop, scope=None):
        """Keeps only the values of a list from `start` to `stop`."""
        return self._do('ltrim', key, start, stop, scope=scope)

    def rpoplpush(self, key, dest_key=None, scope=None, dest_scope=None):
        """Moves the tail of a list to the head of another (the same list by default); across scopes it is two steps."""
        dest_key = key if dest_key is None else dest_key
        scope = scope or self._default_scope
        dest_scope = dest_scope or scope
        if dest_scope == scope:
            return self._do('rpoplpush', key, dest_key, scope=scope)
        value = self.rpop(key, scope=scope)
        if value is not None:
            self.lpush(dest_key, value, scope=dest_scope)
        return value

    def mset(self, mapping, scope=None, expires=None, not_exists=False):
        """Sets several keys from a dict; True when all were written."""
        if not isinstance(mapping, dict):
            raise TypeError('DFF.CACHE.mset needs a dict')
        return all([self.set(k, v, scope=scope, expires=expires, not_exists=not_exists) for k, v in mapping.items()])

    def mget(self, keys, scope=None):
        """A dict of the values of several keys."""
        return {k: self.get(k, scope=scope) for k in keys}

    def run(self, command, key, *args, scope=None):
        """The generic form: any command above by its Redis name."""
        return self._do(str(command).lower(), key, *args, scope=scope)

    def __call__(self, key, scope=None):
        return self.get(key, scope=scope)

    push = lpush
    pop = rpop


class Store:
    """DFF.STORE: values kept for good in the database (JSON), by key and `scope` (default: the ID of the script that
    calls it, an imported script's its own), until deleted or past `expires` seconds. Keys and scopes have at most 256 characters."""

    def __init__(self, default_scope):
        self._default_scope = default_scope

    def _do(self, command, key, scope, **more):
        if not isinstance(key, str):
            raise TypeError('DFF.STORE keys are strings')
        if scope is not None and not isinstance(scope, str):
            raise TypeError('DFF.STORE scopes are strings')
        return callback('store', command=command, scope=scope or self._default_scope, key=key, **more)

    def set(self, key, value, scope=None, expires=None, not_exists=False, expire=None):
        """Writes the value; with not_exists only when the key has none. True when written."""
        expires = expires if expires is not None else expire
        return self._do('set', key, scope, value=json.dumps(value, ensure_ascii=False, separators=(',', ':'), default=json_default),
                        expires=None if expires is None else int(expires), notExists=bool(not_exists))

    def get(self, key, scope=None):
        """The stored value (as it was stored, from JSON), or None."""
        text = self._do('get', key, scope)
        return None if text is None else json.loads(text)

    def delete(self, key, scope=None):
        """Deletes a key."""
        return self._do('delete', key, scope)

    def keys(self, pattern='*', scope=None):
        """The keys of the scope matching a glob pattern."""
        return self._do('keys', pattern, scope)

    def mset(self, mapping, scope=None, expires=None, not_exists=False):
        """Stores several keys from a dict; True when all were written."""
        return all([self.set(k, v, scope=scope, expires=expires, not_exists=not_exists) for k, v in mapping.items()])

    def mget(self, keys, scope=None):
        """A dict of the values of several keys."""
        return {k: self.get(k, scope=scope) for k in keys}

    def __call__(self, key, scope=None):
        return self.get(key, scope)


class Context(dict):
    """DFF.CTX: the run's own dict, shared by the script and the scripts it imports, with 1.x's methods."""

    def __call__(self, key):
        return self.get(key)

    def has(self, key):
        """Whether the run context has the key."""
        return key in self

    def get_all(self):
        """The whole run context (a dict)."""
        return self

    def set(self, key, value):
        """Sets a key of the run context."""
        self[key] = value

    def delete(self, key):
        """Removes a key of the run context; its value."""
        return self.pop(key, None)


class DataSources:
    """DFF.SRC: `DFF.SRC(id, **helper_options)` (or `.get`) is a data source's helper; `.list()` the data sources."""

    def __call__(self, source_id, **helper_options):
        return self.get(source_id, **helper_options)

    def get(self, source_id, **helper_options):
        """A data source's helper (query, non_query, ... by its type) by data source ID."""
        source = callback('getDataSource', id=str(source_id)) if source_id else None
        if source is None:
            raise LookupError('No such data source: %r' % (source_id,))
        import dff_datasources  # imported by the runs that use a data source, not at every worker's start
        return dff_datasources.helper(source, **helper_options)

    def list(self):
        """`[{id, title, description, type}]`: what is there, never a config or secret."""
        return callback('listDataSources')

    def save(self, *args, **kwargs):
        """Refused: scripts cannot change data sources (an administrator does it in the console)."""
        raise PermissionError('DFF.SRC.save: scripts cannot change data sources here; an administrator does it in the console or the API')

    delete = save


class EnvVariables:
    """DFF.ENV: `DFF.ENV(id)` (or `.get(id, default)`) is a variable's value by its auto type; `.keys()`, `.list()`."""

    def __init__(self, run):
        self._run = run

    def __call__(self, env_id, default=None):
        return self.get(env_id, default)

    def get(self, env_id, default=None):
        """The value converted by its auto type; `default` when missing or unconvertible."""
        cache = self._run.env_cache
        if env_id not in cache:
            variable = callback('getEnvVariable', id=str(env_id))
            cache[env_id] = None if variable is None else self._read(variable)
        value = copy.deepcopy(cache[env_id])
        return default if value is None else value

    def keys(self):
        """The IDs of every env variable."""
        return [variable['id'] for variable in callback('listEnvVariables')]

    def _read(self, variable):
        """The value by its auto type; a password's text is remembered, to be masked in what the run logs."""
        if variable.get('secret') and variable['value']:
            self._run.secrets.add(variable['value'])
        return cast(variable['value'], variable['autoTypeCasting'])

    def list(self):
        """`[{id, value}]` with each value by its auto type, as 1.x lists them."""
        listed = []
        for variable in callback('listEnvVariables'):
            self._run.env_cache.setdefault(variable['id'], self._read(variable))
            listed.append({'id': variable['id'], 'value': copy.deepcopy(self._run.env_cache[variable['id']])})
        return listed


class Config:
    """DFF.CONFIG: the installation's `CUSTOM_*` settings (the only ones a script may read, as in 1.x)."""

    def __init__(self):
        self._items = None

    def _all(self):
        if self._items is None:
            self._items = callback('getCustomConfig')
        return self._items

    def __call__(self, config_id, default=None):
        return self.get(config_id, default)

    def get(self, config_id, default=None):
        """A `CUSTOM_*` setting of the installation, or `default`."""
        if not isinstance(config_id, str) or not config_id.startswith('CUSTOM_'):
            raise PermissionError('Config `%s` is not accessible: scripts read the CUSTOM_ ones' % (config_id,))
        return self._all().get(config_id, default)

    def list(self):
        """`[{key, value}]` of every `CUSTOM_*` setting."""
        return [{'key': k, 'value': v} for k, v in self._all().items()]

    def dict(self):
        """Every `CUSTOM_*` setting as a dict."""
        return dict(self._all())


class _OfTheRun:
    """A member of DFF made for its run when the script first uses it: most runs use none, and making them all took
    a tenth of a small func's run."""

    def __init__(self, make):
        self._make = make

    def __set_name__(self, owner, name):
        self._name = name

    def __get__(self, dff, owner=None):
        if dff is None:
            return self
        # setdefault: two of the run's threads using it first at once get the same one.
        return dff.__dict__.setdefault(self._name, self._make(dff))


class Dff:
    """What user scripts see as `DFF`. Unknown members are None, as in DataFlux Func."""

    # Members a script may replace, as it could when they were set in __init__ (none is a property).
    CTX = _OfTheRun(lambda dff: Context())
    CACHE = _OfTheRun(lambda dff: Cache(dff._script_id()))
    STORE = _OfTheRun(lambda dff: Store(dff._script_id()))
    SRC = _OfTheRun(lambda dff: DataSources())
    CONN = _OfTheRun(lambda dff: dff.SRC)
    ENV = _OfTheRun(lambda dff: EnvVariables(dff._run))
    CONFIG = _OfTheRun(lambda dff: Config())
    THREAD = _OfTheRun(lambda dff: FuncThread())
    VAR = _OfTheRun(lambda dff: dff._run.print_var)
    SQL = staticmethod(format_sql)
    RSRC = staticmethod(resource_path)
    EVAL = staticmethod(eval)
    EXEC = staticmethod(exec)

    def __init__(self, run):
        self._run = run

    def _script_id(self):
        """The script this DFF is given to: the run's own script here."""
        return self._run.script_id

    def for_imported(self, script_id):
        """The DFF of a script the run imports, as 1.x made one per module: its cache and store default to its own name."""
        return _ImportedScriptDff(self, script_id)

    def _finish_threads(self):
        """At the end of the run: waits for the work the run handed to DFF.THREAD, if it handed any."""
        thread = self.__dict__.get('THREAD')
        if thread is not None:
            thread._finish()

    def API(self, title=None, **options):
        """Exports the decorated top-level function as a func (title and options: category, tags, timeout, ...)."""
        check_api_options(title, options)

        def decorate(func):
            # Only the publish check keeps the func list: describing a func (its signature) costs
            # several times a whole run, and a run would throw the list away.
            if not self._run.lists_funcs:
                return func
            frame = sys._getframe(1)
            if frame is not None and frame.f_globals.get('__name__') == self._run.script_id and func.__qualname__ == func.__name__:
                self._run.register_func(func, title, dict(options))
            return func

        return decorate

    def LOG(self, message):
        """Adds a line to the run's log, like print."""
        self._run.print_logs.append(str(message))

    def RESP(self, data, status_code=None, content_type=None, headers=None, allow_304=False, download=False):
        """A result with HTTP control: status code, content type, headers, 304 and download."""
        return Response(data, response_control(status_code, content_type, headers, allow_304, download))

    def REDIRECT(self, url):
        """A 302 redirect to the URL."""
        if not isinstance(url, str) or not url:
            raise ValueError('DFF.REDIRECT needs a URL')
        import html
        import urllib.parse
        control = response_control(302, 'html', {'Location': urllib.parse.quote(url, safe=":/?#[]@!$&'()*+,;=%")})
        return Response('<a href="%s">Redirecting</a>' % html.escape(url, quote=True), control)

    def FUNC(self, func_id, kwargs=None):
        """Queues another exported func as a new task (fire and forget); returns its task ID."""
        if not isinstance(func_id, str) or '.' not in func_id:
            raise ValueError('DFF.FUNC needs a func ID like "set__script.func"')
        if kwargs is not None and not isinstance(kwargs, dict):
            raise TypeError('DFF.FUNC kwargs must be a dict')
        chain = self._run.func_chain()
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
        import uuid
        name = '%s.%s' % (uuid.uuid4().hex, 'json' if is_json else 'txt')
        path = os.path.join(folder, name)
        # JSON as a returned result is written (1.x wrote both with its toolkit's json_dumps): dates, decimals, NaN.
        text = encode_result(data) if is_json else str(data)
        with open(path, 'w', encoding='utf-8') as target:
            target.write(text)
        os.chmod(path, 0o644)
        control = response_control(None, content_type or ('json' if is_json else 'text'), None, False, False)
        control.update({'filePath': path, 'autoDelete': True})
        return Response(None, control)

    def __getattr__(self, name):
        # Every member also answers by its lower-case name, as in 1.x.
        if name.isupper() or name.startswith('_'):
            return None
        upper = name.upper()
        return getattr(self, upper) if upper in _MEMBERS else None


class _ImportedScriptDff(Dff):
    """An imported script's DFF: the run's, but for the cache's and store's default scope, its own script's ID (1.x's
    `create_safe_scope(import_script_id)`); the context and the threads stay the run's, as in 1.x."""

    CTX = _OfTheRun(lambda dff: dff._entry.CTX)
    THREAD = _OfTheRun(lambda dff: dff._entry.THREAD)

    def __init__(self, entry, script_id):
        super().__init__(entry._run)
        self._entry = entry
        self._imported_script_id = script_id

    def _script_id(self):
        return self._imported_script_id


_MEMBERS = frozenset(['API', 'LOG', 'CTX', 'ENV', 'RESP', 'REDIRECT', 'SRC', 'CONN', 'CACHE', 'STORE', 'FUNC', 'RESP_FILE', 'RESP_LARGE_DATA',
                      'CONFIG', 'THREAD', 'SQL', 'RSRC', 'VAR', 'EVAL', 'EXEC'])
