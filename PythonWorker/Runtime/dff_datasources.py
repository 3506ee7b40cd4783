"""Data source helpers of the DFF runtime: `DFF.SRC('id')` and the console's check, query and browse.

A source reaches the worker as `{id, type, version, config}` (config decrypted by the silo). Helpers
are pooled per worker process by source ID, config version and helper options: a changed config has
a new version, so its old connections are closed and never reused.

SQL types take `?` placeholders the way DataFlux Func does (a list, tuple or set fills `?, ?`; a dict
fills `k = ?, ...`; a list of lists fills `(?, ?), (?, ?)`; `??` is a name, quoted as the database
reads it unquoted, with 1.x's sort direction or `*`) and hand the values to the driver's own
parameter binding: values never become SQL text.
"""

import base64
import datetime
import decimal
import json
import random
import re
import shlex
import threading
import time
import uuid

from dff_sql import format_sql
from dff_values import json_default

CONNECT_TIMEOUT = 5
MAX_PANEL_ROWS = 1000
MAX_PANEL_CHARS = 1_000_000
_IDLE_BEFORE_PING = 10

_pool = {}


class DataSourceError(Exception):
    """A data source cannot be used as asked (unsupported type or command, failed request)."""


def helper(source, **options):
    """The pooled helper of a source for these options (`database=` and the like)."""
    key = (source['id'], source['version'], json.dumps(options, sort_keys=True, default=str))
    found = _pool.get(key)
    if found is None:
        _close_other_versions(source['id'], source['version'])
        helper_class = _HELPERS.get(source['type'])
        if helper_class is None:
            raise DataSourceError('Data source type not supported: %r' % (source['type'],))
        found = _pool[key] = helper_class(dict(source['config']), **options)
    return found


def _close_other_versions(source_id, version):
    for key in [k for k in _pool if k[0] == source_id and k[1] != version]:
        _pool.pop(key).close()


# ---------------------------------------------------------------- console requests (run on a worker)

def run_admin(request):
    """Runs a check, a panel query or a structure listing; returns the worker's outcome dict."""
    started = time.perf_counter()
    kwargs = request.get('kwargs') or {}
    source = kwargs['source']
    try:
        # A fresh helper: a check must connect for real, and the console never shares a script's pool.
        probe = _HELPERS[source['type']](dict(source['config']))
        try:
            mode = request['mode']
            if mode == 'sourceCheck':
                probe.check()
                result = {'ok': True}
            elif mode == 'sourceQuery':
                result = _bounded(probe.panel_query(kwargs.get('command') or '', kwargs.get('database')))
            else:
                result = probe.browse(kwargs.get('database'), kwargs.get('table'))
        finally:
            probe.close()
        outcome = {'status': 'success', 'result': result}
    except BaseException as e:  # the caller shows the driver's own message
        outcome = {'status': 'timeout' if type(e).__name__ == 'DffTimeout' else 'failure',
                   'error': {'type': type(e).__name__, 'message': _message(e), 'line': None, 'traceback': ''}}
    outcome.update({'printLogs': [], 'cost': round(time.perf_counter() - started, 6)})
    return outcome


def _message(error):
    text = str(error).strip()
    return text or type(error).__name__


def _bounded(result):
    """Keeps a panel result under the row and size limits, and JSON-safe."""
    truncated = False
    rows = result.get('rows')
    if isinstance(rows, list) and len(rows) > MAX_PANEL_ROWS:
        result['rows'] = rows[:MAX_PANEL_ROWS]
        truncated = True
    text = json.dumps(result, default=_json_default, ensure_ascii=False)
    if len(text) > MAX_PANEL_CHARS:
        return {'truncated': True, 'text': text[:MAX_PANEL_CHARS]}
    result = json.loads(text)
    result['truncated'] = truncated or result.get('truncated', False)
    return result


def _json_default(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        try:
            return raw.decode('utf-8')
        except UnicodeDecodeError:
            return base64.b64encode(raw).decode('ascii')
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def _decoded(value):
    """Driver answers as scripts expect them: bytes decoded to str, deeply."""
    if isinstance(value, bytes):
        return value.decode('utf-8', errors='replace')
    if isinstance(value, list):
        return [_decoded(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_decoded(v) for v in value)
    if isinstance(value, set):
        return {_decoded(v) for v in value}
    if isinstance(value, dict):
        return {_decoded(k): _decoded(v) for k, v in value.items()}
    return value


# ---------------------------------------------------------------- `?` placeholders to driver binding

# What 1.x's `??` (its text put in raw) was used for: a name, dotted or not, with a sort direction, or `*`.
_PLAIN_NAME = re.compile(r'([A-Za-z_][A-Za-z0-9_$]*(?:\.[A-Za-z_][A-Za-z0-9_$]*)*)(\.\*)?(?:\s+(ASC|DESC))?', re.IGNORECASE)


class _Placeholders:
    """Turns `?` SQL into (driver SQL, driver params) for one paramstyle."""

    def __init__(self, style, quote, fold=None):
        self.style = style  # 'format' (%s + tuple), 'pyformat' (%(pN)s + dict), 'named' (:pN + dict)
        self.quote = quote
        self.fold = fold  # what the database does to a plain name left unquoted (PostgreSQL: lower case)

    def bind(self, sql, sql_params):
        if sql_params is None:
            return sql, None
        values = list(sql_params) if isinstance(sql_params, (list, tuple)) else [sql_params]
        params = [] if self.style == 'format' else {}
        out = []
        i = 0
        quote_char = None
        while i < len(sql):
            ch = sql[i]
            if quote_char:
                out.append(self._literal(ch))
                if ch == quote_char:
                    quote_char = None
                i += 1
                continue
            if ch in '\'"`':
                quote_char = ch
                out.append(ch)
                i += 1
                continue
            if ch != '?':
                out.append(self._literal(ch))
                i += 1
                continue
            run = 1
            while i + run < len(sql) and sql[i + run] == '?':
                run += 1
            if run >= 3 or not values:
                out.append('?' * run)  # runs of 3+ and surplus marks stay as they are
            elif run == 2:
                out.append(self._identifier(values.pop(0)))
            else:
                out.append(self._fill(values.pop(0), params))
            i += run
        return ''.join(out), params

    def _literal(self, ch):
        return '%%' if ch == '%' and self.style != 'named' else ch

    def _identifier(self, name):
        """1.x's text, quoted: a plain name as the database would read it unquoted (folded), keeping a sort direction
        and `*`; anything else one quoted name per dotted part, so that no value becomes SQL."""
        name = str(name)
        if name == '*':
            return name
        plain = _PLAIN_NAME.fullmatch(name)
        if plain is None:
            return '.'.join(self._quoted(part) for part in name.split('.'))
        names, star, direction = plain.groups()
        return ('.'.join(self._quoted(self.fold(part) if self.fold else part) for part in names.split('.'))
                + (star or '') + (' ' + direction.upper() if direction else ''))

    def _quoted(self, part):
        return self.quote + part.replace(self.quote, self.quote * 2) + self.quote

    def _fill(self, value, params):
        if isinstance(value, dict):
            return ', '.join('%s = %s' % (self._identifier(k), self._mark(v, params)) for k, v in value.items())
        if isinstance(value, (list, tuple, set, frozenset)):
            items = list(value)
            if items and all(isinstance(v, (list, tuple)) for v in items):
                return ', '.join('(%s)' % ', '.join(self._mark(v, params) for v in row) for row in items)
            return ', '.join(self._mark(v, params) for v in items)
        return self._mark(value, params)

    def _mark(self, value, params):
        if self.style == 'format':
            params.append(value)
            return '%s'
        name = 'p%d' % len(params)
        params[name] = value
        return '%%(%s)s' % name if self.style == 'pyformat' else ':' + name


# ---------------------------------------------------------------- SQL family

class _SqlHelper:
    """query / non_query / transactions over pooled connections: one for each call in flight (DFF.THREAD's threads query
    at once, and a DB-API connection is one conversation), kept for the next call after it."""

    placeholders = _Placeholders('format', '"')
    check_sql = 'SELECT 1'

    def __init__(self, config, database=None, **_options):
        self.config = config
        if database:
            self.config['database'] = database
        self._idle = []  # (connection, when it was last used): those no call is using
        self._idle_guard = threading.Lock()

    # driver specifics
    def _connect(self):
        raise NotImplementedError

    def _ping(self, connection):
        cursor = connection.cursor()
        cursor.execute('SELECT 1')
        cursor.fetchall()

    def _discard(self, connection):
        try:
            connection.close()
        except Exception:
            pass

    def _recover(self, connection):
        """After a failed call: whether the connection may serve the next one (its transaction rolled back)."""
        try:
            connection.rollback()
            return True
        except Exception:
            return False  # a broken connection is never handed out again

    # pooling
    def _using(self, work):
        """work(connection) on a connection no other call is using: an idle one (pinged after a pause) or a new one."""
        connection = None
        while connection is None:
            with self._idle_guard:
                if not self._idle:
                    break
                connection, last_used = self._idle.pop()
            if time.monotonic() - last_used > _IDLE_BEFORE_PING:
                try:
                    self._ping(connection)
                except Exception:
                    self._discard(connection)
                    connection = None
        if connection is None:
            connection = self._connect()
        try:
            result = work(connection)
        except Exception:
            if self._recover(connection):
                self._give_back(connection)
            else:
                self._discard(connection)
            raise
        self._give_back(connection)
        return result

    def _give_back(self, connection):
        with self._idle_guard:
            self._idle.append((connection, time.monotonic()))

    def close(self):
        with self._idle_guard:
            idle, self._idle = self._idle, []
        for connection, _ in idle:
            self._discard(connection)

    def _execute(self, connection, sql, sql_params, fetch):
        sql, params = self.placeholders.bind(sql, sql_params)
        cursor = connection.cursor()
        try:
            cursor.execute(sql, params) if params is not None else cursor.execute(sql)
            if not fetch:
                return cursor.rowcount
            if cursor.description is None:
                return []
            columns = [c[0] for c in cursor.description]
            return [dict(zip(columns, row)) for row in cursor.fetchall()]
        finally:
            cursor.close()

    def _run(self, sql, sql_params, fetch):
        def run(connection):
            result = self._execute(connection, sql, sql_params, fetch)
            connection.commit()
            return result

        return self._using(run)

    def query(self, sql, sql_params=None):
        """Rows as a list of dicts."""
        return self._run(sql, sql_params, True)

    def non_query(self, sql, sql_params=None):
        """The number of rows changed."""
        return self._run(sql, sql_params, False)

    def start_trans(self):
        """A transaction on its own connection; end it with commit() or rollback()."""
        return self._connect()

    def trans_query(self, trans, sql, sql_params=None):
        return self._execute(trans, sql, sql_params, True)

    def trans_non_query(self, trans, sql, sql_params=None):
        return self._execute(trans, sql, sql_params, False)

    def commit(self, trans):
        trans.commit()
        trans.close()

    def rollback(self, trans):
        trans.rollback()
        trans.close()

    def check(self):
        self.query(self.check_sql)

    def panel_query(self, command, database):
        if database:
            self.close()
            self.config['database'] = database

        def run(connection):
            cursor = connection.cursor()
            try:
                cursor.execute(command)
                if cursor.description is None:
                    connection.commit()
                    return {'rowCount': cursor.rowcount}
                columns = [c[0] for c in cursor.description]
                rows = [dict(zip(columns, row)) for row in cursor.fetchmany(MAX_PANEL_ROWS + 1)]
                connection.commit()
                return {'columns': columns, 'rows': rows}
            finally:
                cursor.close()

        return self._using(run)

    def _names(self, sql, sql_params=None):
        return [list(row.values())[0] for row in self.query(sql, sql_params)]

    def _columns(self, sql, sql_params):
        return [{'name': row['name'], 'type': row['type']} for row in self.query(sql, sql_params)]


class MySqlHelper(_SqlHelper):
    placeholders = _Placeholders('format', '`')

    def _connect(self):
        import pymysql
        c = self.config
        return pymysql.connect(host=c['host'], port=int(c.get('port') or 3306), user=c.get('user'), password=c.get('password') or '',
                               database=c.get('database') or None, charset=c.get('charset') or 'utf8mb4',
                               connect_timeout=CONNECT_TIMEOUT, client_flag=pymysql.constants.CLIENT.MULTI_STATEMENTS)

    def _ping(self, connection):
        connection.ping(reconnect=False)

    def browse(self, database, table):
        if table:
            return {'level': 'columns', 'items': self._columns(
                'SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type FROM information_schema.COLUMNS '
                'WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION', [database, table])}
        if database:
            return {'level': 'tables', 'items': self._names(
                'SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME', [database])}
        return {'level': 'databases', 'items': self._names('SHOW DATABASES')}


class PostgreSqlHelper(_SqlHelper):
    placeholders = _Placeholders('format', '"', str.lower)

    def _connect(self):
        import psycopg2
        c = self.config
        connection = psycopg2.connect(host=c['host'], port=int(c.get('port') or 5432), user=c.get('user'), password=c.get('password') or '',
                                      dbname=c.get('database'), connect_timeout=CONNECT_TIMEOUT)
        connection.set_client_encoding(c.get('charset') or 'utf8')
        return connection

    def browse(self, database, table):
        if database and database != self.config.get('database'):
            self.close()
            self.config['database'] = database
        if table:
            return {'level': 'columns', 'items': self._columns(
                'SELECT column_name AS name, data_type AS type FROM information_schema.columns '
                'WHERE table_schema NOT IN (\'pg_catalog\', \'information_schema\') AND table_name = ? ORDER BY ordinal_position', [table])}
        if database:
            return {'level': 'tables', 'items': self._names(
                'SELECT table_name FROM information_schema.tables '
                'WHERE table_schema NOT IN (\'pg_catalog\', \'information_schema\') ORDER BY table_name')}
        return {'level': 'databases', 'items': self._names('SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY datname')}


class SqlServerHelper(_SqlHelper):
    check_sql = 'SELECT TOP 1 * FROM sysobjects'

    def _connect(self):
        import pymssql
        c = self.config
        return pymssql.connect(server=c['host'], port=str(c.get('port') or 1433), user=c.get('user'), password=c.get('password') or '',
                               database=c.get('database') or '', charset=(c.get('charset') or 'utf8').upper(),
                               login_timeout=CONNECT_TIMEOUT, timeout=0)

    def browse(self, database, table):
        if database and database != self.config.get('database'):
            self.close()
            self.config['database'] = database
        if table:
            return {'level': 'columns', 'items': self._columns(
                'SELECT COLUMN_NAME AS name, DATA_TYPE AS type FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = ? ORDER BY ORDINAL_POSITION', [table])}
        if database:
            return {'level': 'tables', 'items': self._names('SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES ORDER BY TABLE_NAME')}
        return {'level': 'databases', 'items': self._names('SELECT name FROM sys.databases ORDER BY name')}


class OracleHelper(_SqlHelper):
    placeholders = _Placeholders('named', '"', str.upper)
    check_sql = 'SELECT 1 FROM dual'

    def _connect(self):
        import oracledb  # thin mode: no Oracle client libraries needed
        c = self.config
        params = oracledb.ConnectParams(host=c['host'], port=int(c.get('port') or 1521), service_name=c.get('database'),
                                        tcp_connect_timeout=CONNECT_TIMEOUT)
        return oracledb.connect(user=c.get('user'), password=c.get('password') or '', params=params)

    def _ping(self, connection):
        connection.ping()

    def browse(self, database, table):
        if table:
            return {'level': 'columns', 'items': self._columns(
                'SELECT column_name AS "name", data_type AS "type" FROM user_tab_columns WHERE table_name = ? ORDER BY column_id', [table])}
        return {'level': 'tables', 'items': self._names('SELECT table_name FROM user_tables ORDER BY table_name')}


class ClickHouseHelper(_SqlHelper):
    """ClickHouse over its native TCP protocol; no transactions, no non_query."""

    placeholders = _Placeholders('pyformat', '`')

    def _connect(self):
        from clickhouse_driver import Client
        c = self.config
        return Client(host=c['host'], port=int(c.get('port') or 9000), database=c.get('database') or 'default',
                      user=c.get('user') or 'default', password=c.get('password') or '',
                      connect_timeout=CONNECT_TIMEOUT, send_receive_timeout=300)

    def _ping(self, connection):
        connection.execute('SELECT 1')

    def _discard(self, connection):
        connection.disconnect()

    def _recover(self, connection):
        return True  # no transaction to roll back; the client reconnects by itself after a broken connection

    def query(self, sql, sql_params=None):
        sql, params = self.placeholders.bind(sql, sql_params)
        rows, columns = self._using(lambda connection: connection.execute(sql, params, with_column_types=True))
        names = [c[0] for c in columns]
        return [dict(zip(names, row)) for row in rows]

    def non_query(self, sql, sql_params=None):
        raise DataSourceError('ClickHouse has no non_query; use query')

    def start_trans(self):
        raise DataSourceError('ClickHouse has no transactions')

    def panel_query(self, command, database):
        if database:
            self.close()
            self.config['database'] = database
        # The server stops at the limit: a huge result never reaches the worker.
        limits = {'max_result_rows': MAX_PANEL_ROWS + 1, 'result_overflow_mode': 'break'}
        rows, columns = self._using(lambda connection: connection.execute(command, with_column_types=True, settings=limits))
        names = [c[0] for c in columns]
        return {'columns': names, 'rows': [dict(zip(names, row)) for row in rows[:MAX_PANEL_ROWS + 1]]}

    def browse(self, database, table):
        if table:
            return {'level': 'columns', 'items': self._columns(
                'SELECT name, type FROM system.columns WHERE database = ? AND table = ?', [database, table])}
        if database:
            return {'level': 'tables', 'items': self._names('SELECT name FROM system.tables WHERE database = ? ORDER BY name', [database])}
        return {'level': 'databases', 'items': self._names('SELECT name FROM system.databases ORDER BY name')}


# ---------------------------------------------------------------- key-value stores

_EXTEND_IF_OWNER = 'if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("expire", KEYS[1], ARGV[2]) else return 0 end'
_DELETE_IF_OWNER = 'if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end'


def _listed(items):
    return items if isinstance(items, (list, tuple)) else [items]


class RedisHelper:
    """`query(*cmd)` runs any command; typed helpers follow DataFlux Func; other redis-py methods pass through. Values come
    back as bytes and key and field names as str, as 1.x's helper gave them (a client without `decode_responses`)."""

    def __init__(self, config, database=None, **_options):
        import redis
        c = config
        password = c.get('password') or None
        user = c.get('user') or None
        if c.get('authType') == 'aliyun' and user and password:
            password, user = '%s:%s' % (user, password), None
        self.client = redis.Redis(host=c['host'], port=int(c.get('port') or 6379), db=int(database if database is not None else c.get('database') or 0),
                                  username=user, password=password, ssl=bool(c.get('useTLS')),
                                  socket_connect_timeout=CONNECT_TIMEOUT, health_check_interval=_IDLE_BEFORE_PING)
        self._series_config = c
        self._series_keys = set()  # keys checked to hold a sorted set

    def close(self):
        self.client.close()

    def query(self, *command, **options):
        return self.client.execute_command(*command, **options)

    def run(self, command, *args, **kwargs):
        return getattr(self.client, command.lower())(*args, **kwargs)

    def set(self, key, value, expires=None, not_exists=False, exists=False, expire=None):
        return self.client.set(key, value, ex=expires or expire, nx=not_exists, xx=exists)

    def keys(self, pattern='*', limit=None):
        found = {}  # SCAN may name a key twice
        for key in self.client.scan_iter(match=pattern, count=1000):
            found[_decoded(key)] = None
            if limit and len(found) >= limit:
                break
        return list(found)

    def hkeys(self, key, pattern='*'):
        """The fields of a hash matching the pattern, as str."""
        return list(dict.fromkeys(_decoded(field) for field, _ in self.client.hscan_iter(key, match=pattern, count=1000)))

    def hgetall(self, key):
        return {_decoded(field): value for field, value in self.client.hgetall(key).items()}

    def delete(self, keys):
        """One key or a list of them, as 1.x's helper took them."""
        return self.client.delete(*_listed(keys))

    def del_by_pattern(self, pattern):
        keys = self.keys(pattern)
        return self.delete(keys) if keys else None

    def hincr(self, key, field):
        return self.client.hincrby(key, field, 1)

    def hdel(self, key, fields):
        return self.client.hdel(key, *_listed(fields))

    def rpoplpush(self, key, dest_key=None):
        return self.client.rpoplpush(key, key if dest_key is None else dest_key)

    def setexnx(self, key, max_age, value):
        return self.client.set(key, value, ex=max(int(max_age), 1), nx=True)

    # 1.x's lock: a key set only if absent, with an expiry, owned by whoever knows its value. (redis-py's own `lock()`
    # makes an unacquired Lock object, always true: a 1.x script would think it held the lock.)
    def lock(self, lock_key, lock_value, max_lock_time):
        return self.client.set(lock_key, lock_value, ex=max(int(max_lock_time), 1), nx=True)

    def extend_lock_time(self, lock_key, lock_value, max_lock_time):
        if not self.client.eval(_EXTEND_IF_OWNER, 1, lock_key, lock_value, max(int(max_lock_time), 1)):
            raise Exception('Not lock owner')

    def unlock(self, lock_key, lock_value):
        return self.client.eval(_DELETE_IF_OWNER, 1, lock_key, lock_value)

    # Imported by the runs that use them: the worker's start imports only what every run needs.
    def ts_parse_point(self, point):
        import dff_redis_series
        return dff_redis_series.parse_point(point)

    def ts_add(self, key, value, timestamp=None, mode=None):
        import dff_redis_series
        dff_redis_series.add(self.client, dff_redis_series.settings(self._series_config), self._series_keys, key, value, timestamp, mode)

    def ts_get(self, key, *args, **kwargs):
        import dff_redis_series
        return dff_redis_series.get(self.client, self._series_keys, key, *args, **kwargs)

    def expire(self, key, expires):
        # 1.x's helper: an expiry of 0 or less is one second (Redis would delete the key at once).
        return self.client.expire(key, max(int(expires), 1))

    def setex(self, key, max_age, value):
        return self.client.setex(key, max(int(max_age), 1), value)

    def publish(self, topic, message):
        return self.client.publish(topic, message if isinstance(message, str) else json.dumps(message))

    def __getattr__(self, name):
        return getattr(self.client, name)

    def check(self):
        self.client.info()

    def panel_query(self, command, database):
        words = shlex.split(command)
        if not words:
            raise DataSourceError('Type a Redis command, for example: GET mykey')
        return {'result': _decoded(self._on_database(database).execute_command(*words))}

    def browse(self, database, table):
        found = []
        for key in self._on_database(database).scan_iter(match='*', count=1000):
            found.append(_decoded(key))
            if len(found) >= MAX_PANEL_ROWS:
                break
        return {'level': 'keys', 'items': found}

    def _on_database(self, database):
        if database in (None, ''):
            return self.client
        import redis
        return redis.Redis(connection_pool=redis.ConnectionPool(**dict(self.client.connection_pool.connection_kwargs, db=int(database))))


class _MemcachedValues:
    """Values as 1.x's client (python-memcached) stored them: str as text, int as int, bytes as they are; the flags are
    its own, so each side reads what the other wrote. Its pickled values are handed back as bytes, not unpickled: what
    a shared cache holds is not code to run in a script's process."""

    def serialize(self, key, value):
        from pymemcache.serde import FLAG_BYTES, FLAG_INTEGER, FLAG_TEXT
        if isinstance(value, str):
            return value.encode('utf-8'), FLAG_TEXT
        if isinstance(value, (bytes, bytearray)):
            return bytes(value), FLAG_BYTES
        if isinstance(value, int):
            return b'%d' % value, FLAG_INTEGER
        raise TypeError('Memcached stores str, bytes and int values; store others as text, json.dumps(value) for example')

    def deserialize(self, key, value, flags):
        from pymemcache.serde import FLAG_INTEGER, FLAG_LONG, FLAG_TEXT
        if flags & FLAG_TEXT:
            return value.decode('utf-8', errors='replace')
        if flags & (FLAG_INTEGER | FLAG_LONG):
            return int(value)
        return value


class MemcachedHelper:
    def __init__(self, config, **_options):
        from pymemcache.client.hash import HashClient
        servers = []
        for item in str(config['servers']).split(','):
            host, _, port = item.strip().rpartition(':')
            servers.append((host, int(port)))
        # Pooled: one connection per thread of the run at a time, as for the SQL helpers.
        self.client = HashClient(servers, serde=_MemcachedValues(), use_pooling=True, connect_timeout=CONNECT_TIMEOUT,
                                 timeout=CONNECT_TIMEOUT, ignore_exc=False, retry_attempts=1, dead_timeout=0)

    def close(self):
        self.client.close()

    def query(self, command, *args):
        return getattr(self.client, command.lower())(*args)

    def run(self, command, *args, **kwargs):
        return getattr(self.client, command.lower())(*args, **kwargs)

    def get(self, key):
        return self.client.get(key)

    def set(self, key, value, expires=0):
        return self.client.set(key, value, expire=int(expires or 0), noreply=False)

    def add(self, key, value, expires=0):
        return self.client.add(key, value, expire=int(expires or 0), noreply=False)

    def replace(self, key, value, expires=0):
        return self.client.replace(key, value, expire=int(expires or 0), noreply=False)

    def delete(self, key):
        return self.client.delete(key, noreply=False)

    def check(self):
        for server in self.client.clients.values():
            server.stats()

    def panel_query(self, command, database):
        words = shlex.split(command)
        if not words:
            raise DataSourceError('Type a memcached command, for example: get mykey')
        return {'result': _decoded(self.query(*words))}

    def browse(self, database, table):
        raise DataSourceError('Memcached has no structure to browse')


class MongoDbHelper:
    def __init__(self, config, database=None, **_options):
        import pymongo
        c = config
        self.default_db = database or c.get('database') or None
        # A user is looked up in the source's database, as 1.x's `mongodb://host:port/<database>` did; in admin without one.
        self.client = pymongo.MongoClient(host=c['host'], port=int(c.get('port') or 27017), username=c.get('user') or None,
                                          password=c.get('password') or None, authSource=self.default_db or 'admin',
                                          serverSelectionTimeoutMS=CONNECT_TIMEOUT * 1000, connectTimeoutMS=CONNECT_TIMEOUT * 1000)

    def close(self):
        self.client.close()

    def db(self, db_name=None):
        name = db_name or self.default_db
        if not name:
            raise DataSourceError('No database named and none configured')
        return self.client[name]

    def run_method(self, method, db_name=None):
        if method == 'list_database_names':
            return self.client.list_database_names()
        if method == 'list_collection_names':
            return self.db(db_name).list_collection_names()
        raise DataSourceError('Unknown method: %r' % (method,))

    def check(self):
        self.client.list_database_names()

    def panel_query(self, command, database):
        from bson import json_util
        from bson.son import SON
        spec = json.loads(command, object_pairs_hook=SON)  # a command's first key names it: keep the order
        return {'result': json.loads(json_util.dumps(self.db(database).command(spec)))}

    def browse(self, database, table):
        if database:
            return {'level': 'collections', 'items': self.db(database).list_collection_names()}
        return {'level': 'databases', 'items': self.client.list_database_names()}


# ---------------------------------------------------------------- time series

def _iso_time(timestamp):
    """A point's time as 1.x's `arrow.get(timestamp).isoformat()`: a number is seconds since the epoch, a naive datetime
    UTC; text is passed on (RFC 3339, as InfluxDB reads it)."""
    if isinstance(timestamp, (int, float)) and not isinstance(timestamp, bool):
        return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).isoformat()
    if isinstance(timestamp, datetime.datetime):
        return json_default(timestamp)
    return timestamp


def _series_as_rows(raw):
    """1.x's `convert_to_dict`: each series a list of row dicts with the series' tags under `tags` (`_tags` if a column
    has that name); the answer's other fields kept."""
    answer = {k: v for k, v in raw.items() if k != 'series'}
    answer['series'] = []
    for series in raw.get('series') or []:
        rows = []
        for values in series.get('values') or []:
            row = dict(zip(series['columns'], values))
            tags_field = 'tags'
            while tags_field in row:
                tags_field = '_' + tags_field
            row[tags_field] = series.get('tags') or {}
            rows.append(row)
        answer['series'].append(rows)
    return answer


class InfluxDbHelper:
    def __init__(self, config, database=None, **_options):
        from influxdb import InfluxDBClient
        c = config
        self.client = InfluxDBClient(host=c['host'], port=int(c.get('port') or 8086), username=c.get('user') or 'root',
                                     password=c.get('password') or 'root', database=database or c.get('database') or None,
                                     ssl=c.get('protocol') == 'https', verify_ssl=False, timeout=CONNECT_TIMEOUT * 6)

    def close(self):
        self.client.close()

    def switch_database(self, database):
        self.client.switch_database(database)

    def query(self, sql, bind_params=None, database=None, dict_output=False):
        """InfluxQL with `$name` bind params; 1.x's answer: the raw result, or with dict_output the series as lists of
        row dicts (`{'series': [[{column: value, ..., 'tags': {...}}, ...], ...]}`); a list of them for several statements."""
        return self._answer(self.client.query(sql, bind_params=bind_params, database=database), dict_output)

    def query2(self, sql, sql_params=None, database=None, dict_output=False):
        """As query, with DFF.SQL's `?` placeholders (1.x's query2)."""
        return self._answer(self.client.query(format_sql(sql, sql_params), database=database), dict_output)

    @staticmethod
    def _answer(result, dict_output):
        several = isinstance(result, (list, tuple))
        answers = [_series_as_rows(r.raw) if dict_output else r.raw for r in (result if several else [result])]
        return answers if several else answers[0]

    def write_point(self, measurement, fields, tags=None, timestamp=None, database=None):
        point = {'measurement': measurement, 'fields': fields}
        if isinstance(tags, dict):
            point['tags'] = tags
        if timestamp:
            point['time'] = _iso_time(timestamp)
        return self.client.write_points([point], database=database)

    def write_points(self, points, database=None):
        return self.client.write_points(points, database=database)

    def check(self):
        self.client.query('SHOW DATABASES')

    def panel_query(self, command, database):
        return {'result': self.client.query(command, database=database).raw}

    def browse(self, database, table):
        if table:
            result = self.client.query('SHOW FIELD KEYS FROM "%s"' % table.replace('"', '\\"'), database=database)
            return {'level': 'fields', 'items': [{'name': p['fieldKey'], 'type': p['fieldType']} for p in result.get_points()]}
        if database:
            result = self.client.query('SHOW MEASUREMENTS', database=database)
            return {'level': 'measurements', 'items': [p['name'] for p in result.get_points()]}
        return {'level': 'databases', 'items': [d['name'] for d in self.client.get_list_database()]}


# ---------------------------------------------------------------- HTTP APIs

class _HttpHelper:
    default_port = 80

    def __init__(self, config, **_options):
        import requests
        c = config
        self.base = '%s://%s:%s' % (c.get('protocol') or 'http', c.get('host') or '127.0.0.1', c.get('port') or self.default_port)
        self.session = requests.Session()
        self.session.verify = False
        if c.get('user'):
            self.session.auth = (c['user'], c.get('password') or '')

    def close(self):
        self.session.close()

    def _request(self, base, method, path=None, query=None, body=None):
        if path is None and ' ' in method:
            method, path = method.split(' ', 1)
        kwargs = {'params': query, 'timeout': (CONNECT_TIMEOUT, 60)}
        if isinstance(body, (dict, list)):
            kwargs['json'] = body
        elif body is not None:
            kwargs['data'] = body
        response = self.session.request(method.upper(), base + '/' + (path or '').lstrip('/'), **kwargs)
        try:
            parsed = response.json()
        except ValueError:
            parsed = response.text
        if response.status_code >= 400:
            raise DataSourceError('HTTP %d: %s' % (response.status_code, parsed))
        return response.status_code, parsed

    def _panel_request(self, command, base):
        first, _, body = command.strip().partition('\n')
        method, _, path = first.strip().partition(' ')
        if not path:
            raise DataSourceError('Type a request as "METHOD /path", optionally followed by a JSON body on the next lines')
        status, parsed = self._request(base, method, path, None, json.loads(body) if body.strip() else None)
        return {'status': status, 'result': parsed}


class ElasticsearchHelper(_HttpHelper):
    default_port = 9200

    def query(self, method, path=None, query=None, body=None):
        query = dict(query or {}, format='json')
        return self._request(self.base, method, path, query, body)

    def check(self):
        self.query('GET', '/_cat/indices')

    def panel_query(self, command, database):
        return self._panel_request(command, self.base)

    def browse(self, database, table):
        _, indices = self.query('GET', '/_cat/indices')
        return {'level': 'indices', 'items': sorted(i['index'] for i in indices)}


class NsqHelper(_HttpHelper):
    """nsqlookupd for `query` and to find producers, or a fixed list of nsqd servers."""

    default_port = 4161

    def __init__(self, config, **options):
        super().__init__(config, **options)
        self.lookupd = bool(config.get('host'))
        self.fixed = ['%s://%s' % (config.get('protocol') or 'http', s.strip()) for s in str(config.get('servers') or '').split(',') if s.strip()]
        self._producers = []
        self._producers_time = 0.0

    def query(self, method, path=None, query=None, body=None):
        if not self.lookupd:
            raise DataSourceError('This NSQ source has no nsqlookupd host to query')
        return self._request(self.base, method, path, query, body)

    def _nodes(self):
        if self.fixed:
            return self.fixed
        if not self._producers or time.monotonic() - self._producers_time > 60:
            _, nodes = self.query('GET', '/nodes')
            self._producers = ['http://%s:%s' % (p['broadcast_address'], p['http_port']) for p in nodes.get('producers', [])]
            self._producers_time = time.monotonic()
        if not self._producers:
            raise DataSourceError('nsqlookupd knows no nsqd producer')
        return self._producers

    def publish(self, topic, message):
        if not isinstance(message, (str, bytes)):
            message = json.dumps(message, ensure_ascii=False)
        return self._request(random.choice(self._nodes()), 'POST', '/pub', {'topic': topic}, message)

    def check(self):
        if self.lookupd:
            self.query('GET', '/ping')
        for node in self.fixed:
            self._request(node, 'GET', '/ping')

    def panel_query(self, command, database):
        return self._panel_request(command, self.base)

    def browse(self, database, table):
        _, topics = self.query('GET', '/topics')
        return {'level': 'topics', 'items': topics.get('topics', [])}


# ---------------------------------------------------------------- MQTT

class MqttHelper:
    """Publishes over one connected MQTT v5 client per worker (paho's network thread keeps it alive)."""

    def __init__(self, config, **_options):
        self.config = config
        self._client = None
        self._lock = threading.Lock()

    def _connect(self):
        import paho.mqtt.client as mqtt
        c = self.config
        connected = threading.Event()
        answer = {}

        def on_connect(client, userdata, flags, reason, properties=None):
            answer['reason'] = reason
            connected.set()

        client_id = '%s-%s' % (c.get('clientId') or 'orleansfunc', uuid.uuid4().hex[:8])
        client = mqtt.Client(client_id=client_id, protocol=mqtt.MQTTv5)
        if c.get('user'):
            client.username_pw_set(c['user'], c.get('password') or None)
        client.on_connect = on_connect
        client.connect(c['host'], int(c.get('port') or 1883), keepalive=30)
        client.loop_start()
        if not connected.wait(CONNECT_TIMEOUT):
            client.loop_stop()
            raise DataSourceError('The MQTT broker did not answer the connect within %d s' % CONNECT_TIMEOUT)
        if answer['reason'] != 0:
            client.loop_stop()
            raise DataSourceError('The MQTT broker refused the connection: %s' % (answer['reason'],))
        return client

    def _connected(self):
        with self._lock:
            if self._client is None or not self._client.is_connected():
                self.close()
                self._client = self._connect()
            return self._client

    def close(self):
        if self._client is not None:
            self._client.loop_stop()
            self._client.disconnect()
            self._client = None

    def publish(self, topic, message, qos=0, retain=False):
        if not isinstance(message, (str, bytes, bytearray)):
            message = json.dumps(message, ensure_ascii=False)
        for attempt in range(3):
            info = self._connected().publish(topic, message, qos=qos, retain=retain)
            if info.rc == 0:
                info.wait_for_publish(CONNECT_TIMEOUT)
                if info.is_published():
                    return True
            self.close()
        raise DataSourceError('Could not publish to MQTT topic %r' % (topic,))

    def check(self):
        self._connected()

    def panel_query(self, command, database):
        words = shlex.split(command)
        if len(words) != 3 or words[0].lower() != 'publish':
            raise DataSourceError('Type: publish <topic> <message>')
        return {'result': self.publish(words[1], words[2])}

    def browse(self, database, table):
        raise DataSourceError('MQTT has no structure to browse')


_HELPERS = {
    'mysql': MySqlHelper,
    'postgresql': PostgreSqlHelper,
    'sqlserver': SqlServerHelper,
    'oracle': OracleHelper,
    'clickhouse': ClickHouseHelper,
    'redis': RedisHelper,
    'memcached': MemcachedHelper,
    'mongodb': MongoDbHelper,
    'influxdb': InfluxDbHelper,
    'elasticsearch': ElasticsearchHelper,
    'nsq': NsqHelper,
    'mqtt': MqttHelper,
}
