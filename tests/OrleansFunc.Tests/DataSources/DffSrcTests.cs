using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using OrleansFunc.Tests.Infrastructure.DataServers;
using Xunit;

namespace OrleansFunc.Tests.DataSources;

/// <summary><c>DFF.SRC('id')</c> from scripts against real servers (SPEC D2).</summary>
[Collection(SharedServerCollection.Name)]
public sealed class DffSrcTests(SharedServerFixture fixture)
{
    /// <summary>Values with quotes, percent signs and SQL in them must come back as they went in.</summary>
    private const string Hostile = "it's 50% \\\" '); DROP TABLE x; --";

    private static string SqlRoundTrip(string source, string table) => $$"""
        def main(hostile):
            db = DFF.SRC('{{source}}')
            db.non_query('CREATE TABLE {{table}} (id INT, name VARCHAR(100))')
            inserted = db.non_query('INSERT INTO ?? (id, name) VALUES ?', ['{{table}}', [[1, hostile], [2, 'plain']]])
            changed = db.non_query('UPDATE {{table}} SET ? WHERE id = ?', [{'name': 'changed'}, 2])
            rows = db.query('SELECT id, name FROM {{table}} WHERE id IN (?) ORDER BY id', [[1, 2]])
            like = db.query("SELECT count(*) AS n FROM {{table}} WHERE name LIKE '%50%' AND id = ?", 1)
            trans = db.start_trans()
            db.trans_non_query(trans, 'DELETE FROM {{table}}')
            db.rollback(trans)
            after_rollback = db.query('SELECT count(*) AS n FROM {{table}}')
            return {'inserted': inserted, 'changed': changed, 'rows': rows, 'like': like[0]['n'], 'kept': after_rollback[0]['n']}
        """;

    [Theory]
    [InlineData("mysql")]
    [InlineData("postgresql")]
    public async Task SqlHelper_BindsParametersAndRunsTransactions(string type)
    {
        var config = type == "mysql" ? await TestDataServers.MariaDbConfigAsync() : await TestDataServers.PostgresConfigAsync();
        var source = await fixture.CreateSourceAsync(type, config);
        var table = SharedServerFixture.UniqueId("t_").ToLowerInvariant();

        var result = (await fixture.RunScriptAsync(SqlRoundTrip(source, table), "main", new { hostile = Hostile })).Result();

        Assert.Equal(2, result.GetProperty("inserted").GetInt32());
        Assert.Equal(1, result.GetProperty("changed").GetInt32());
        var rows = result.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(Hostile, rows[0].GetProperty("name").GetString());
        Assert.Equal("changed", rows[1].GetProperty("name").GetString());
        Assert.Equal(1, result.GetProperty("like").GetInt32());
        Assert.Equal(2, result.GetProperty("kept").GetInt32());
    }

    /// <summary>1.x put a <c>??</c> value in as text: scripts pass a table made without quotes (PostgreSQL folds its name),
    /// a column with its sort direction, or <c>*</c>. Each is quoted here, as the database reads it unquoted.</summary>
    [Theory]
    [InlineData("mysql")]
    [InlineData("postgresql")]
    public async Task SqlHelper_TakesNamesFor1xsDoubleQuestionMarks(string type)
    {
        var config = type == "mysql" ? await TestDataServers.MariaDbConfigAsync() : await TestDataServers.PostgresConfigAsync();
        var source = await fixture.CreateSourceAsync(type, config);
        var table = SharedServerFixture.UniqueId("Mixed_");
        var code = $$"""
            def main():
                db = DFF.SRC('{{source}}')
                db.non_query('CREATE TABLE {{table}} (id INT, ts INT)')
                db.non_query('INSERT INTO ?? (id, ts) VALUES ?', ['{{table}}', [[1, 10], [2, 30], [3, 20]]])
                rows = db.query('SELECT ?? FROM ?? ORDER BY ??', ['*', '{{table}}', 'ts desc'])
                db.non_query('UPDATE ?? SET ? WHERE id = ?', ['{{table}}', {'TS': 40}, 1])
                return [[row['id'], row['ts']] for row in rows] + [db.query('SELECT ?? FROM {{table}} WHERE id = 1', ['{{table}}.ts'])[0]['ts']]
            """;

        var result = (await fixture.RunScriptAsync(code, "main")).Result();

        Assert.Equal("[[2,30],[3,20],[1,10],40]", result.GetRawText());
    }

    [Fact]
    public async Task ClickHouseHelper_BindsParameters()
    {
        var source = await fixture.CreateSourceAsync("clickhouse", await TestDataServers.ClickHouseConfigAsync());
        var code = $$"""
            def main(hostile):
                db = DFF.SRC('{{source}}')
                return db.query('SELECT ? AS text, ? AS n, 1 IN (?) AS found', [hostile, 42, [1, 2]])
            """;

        var row = (await fixture.RunScriptAsync(code, "main", new { hostile = Hostile })).Result()[0];

        Assert.Equal(Hostile, row.GetProperty("text").GetString());
        Assert.Equal(42, row.GetProperty("n").GetInt32());
        Assert.Equal(1, row.GetProperty("found").GetInt32());
    }

    /// <summary>
    /// DFF.THREAD's threads querying one source at once, as 1.x scripts fan out (1.x took a connection per call from a
    /// pool): the helper held one connection, which pymysql cannot share between threads ("Packet sequence number wrong").
    /// </summary>
    [Theory]
    [InlineData("mysql")]
    [InlineData("postgresql")]
    public async Task SqlHelper_ServesEveryThreadOfARunAtOnce(string type)
    {
        var config = type == "mysql" ? await TestDataServers.MariaDbConfigAsync() : await TestDataServers.PostgresConfigAsync();
        var source = await fixture.CreateSourceAsync(type, config);
        var code = $$"""
            def main():
                db = DFF.SRC('{{source}}')

                def work(i):
                    wrong = []
                    for n in range(30):
                        value = '%d-%d' % (i, n)
                        rows = db.query('SELECT ? AS v', [value])
                        if rows != [{'v': value}]:
                            wrong.append([value, rows])
                    return wrong

                DFF.THREAD.set_pool_size(6)
                for i in range(6):
                    DFF.THREAD.start(work, args=[i], key=str(i))
                return {key: [value, repr(error)] for key, (value, error) in DFF.THREAD.get_result().items() if value or error}
            """;

        Assert.Equal("{}", (await fixture.RunScriptAsync(code, "main")).Result().GetRawText());
    }

    [Fact]
    public async Task RedisHelper_RunsCommandsAndSeesAConfigChangeAtOnce()
    {
        var config = await TestDataServers.RedisConfigAsync();
        var source = await fixture.CreateSourceAsync("redis", config);
        var key = SharedServerFixture.UniqueId("k");
        var code = $$"""
            def write():
                r = DFF.SRC('{{source}}')
                r.query('SET', '{{key}}', 'v1')
                r.set('{{key}}:ttl', 'x', expires=100)
                return [r.get('{{key}}').decode(), r.ttl('{{key}}:ttl'), sorted(r.keys('{{key}}*'))]

            def read():
                return DFF.SRC('{{source}}').query('GET', '{{key}}')

            # As a 1.x script reads Redis (1.x's helper: a client without decode_responses): values as bytes, names as str.
            def as_1x():
                r = DFF.SRC('{{source}}')
                r.query('SET', '{{key}}:b', 'v1')
                r.hset('{{key}}:h', 'field1', 'x')
                r.hset('{{key}}:h', 'other', 'y')
                values = [r.get('{{key}}:b'), r.query('GET', '{{key}}:b'), r.run('get', '{{key}}:b'), r.hget('{{key}}:h', 'field1')]
                return {'bytes': all(isinstance(v, bytes) for v in values), 'values': [v.decode() for v in values],
                        'hkeys': r.hkeys('{{key}}:h', 'field*'), 'hgetall': {k: v.decode() for k, v in sorted(r.hgetall('{{key}}:h').items())},
                        'keys': sorted(r.keys('{{key}}:*')), 'deleted': r.delete(['{{key}}:b', '{{key}}:h']), 'gone': r.exists('{{key}}:b')}
            """;

        var asOneX = (await fixture.RunScriptAsync(code, "as_1x")).Result();
        Assert.True(asOneX.GetProperty("bytes").GetBoolean());
        Assert.Equal("[\"v1\",\"v1\",\"v1\",\"x\"]", asOneX.GetProperty("values").GetRawText());
        Assert.Equal("[\"field1\"]", asOneX.GetProperty("hkeys").GetRawText());
        Assert.Equal("{\"field1\":\"x\",\"other\":\"y\"}", asOneX.GetProperty("hgetall").GetRawText());
        Assert.Equal($"[\"{key}:b\",\"{key}:h\"]", asOneX.GetProperty("keys").GetRawText());
        Assert.Equal(2, asOneX.GetProperty("deleted").GetInt32());
        Assert.Equal(0, asOneX.GetProperty("gone").GetInt32());

        var written = (await fixture.RunScriptAsync(code, "write")).Result();
        Assert.Equal("v1", written[0].GetString());
        Assert.InRange(written[1].GetInt32(), 1, 100);
        Assert.Equal([key, $"{key}:ttl"], written[2].EnumerateArray().Select(k => k.GetString()!).ToArray());

        // Another database: the worker's pooled connection to database 0 must not be used again.
        config["database"] = 1;
        (await fixture.Server.PatchAsync($"/api/v1/data-sources/{source}", new { configJSON = config }, fixture.AdminToken)).AssertOk();
        Assert.Equal(JsonValueKind.Null, (await fixture.RunScriptAsync(code, "read")).Result().ValueKind);
        // The debug panel shows text, not bytes.
        (await fixture.Server.PostAsync($"/api/v1/data-sources/{source}/query", new { command = $"SET {key}:p v2" }, fixture.AdminToken)).AssertOk();
        Assert.Equal("v2", (await fixture.Server.PostAsync($"/api/v1/data-sources/{source}/query", new { command = $"GET {key}:p" }, fixture.AdminToken))
            .AssertOk().GetProperty("result").GetString());
    }

    /// <summary>1.x's helper methods beyond redis-py's: a script that takes a lock with <c>lock(key, value, seconds)</c> got
    /// redis-py's unacquired <c>Lock</c> object (always true) instead of the lock.</summary>
    [Fact]
    public async Task RedisHelper_HasThe1xLocksHashListAndTimeSeriesMethods()
    {
        var source = await fixture.CreateSourceAsync("redis", await TestDataServers.RedisConfigAsync());
        var key = SharedServerFixture.UniqueId("x");
        var code = $$"""
            import time

            def main():
                r = DFF.SRC('{{source}}')
                out = {}
                out['lock'] = [r.lock('{{key}}:lock', 'me', 10), r.lock('{{key}}:lock', 'you', 10)]
                try:
                    r.extend_lock_time('{{key}}:lock', 'you', 100)
                    out['extendOther'] = 'extended'
                except Exception as e:
                    out['extendOther'] = str(e)
                r.extend_lock_time('{{key}}:lock', 'me', 100)
                out['ttlAfterExtend'] = r.ttl('{{key}}:lock')
                out['unlock'] = [r.unlock('{{key}}:lock', 'you'), r.unlock('{{key}}:lock', 'me'), r.exists('{{key}}:lock')]

                r.hset('{{key}}:h', 'f1', 1)
                r.hset('{{key}}:h', 'f2', 1)
                out['hash'] = [r.hincr('{{key}}:h', 'f1'), r.hincrby('{{key}}:h', 'f1', 5), r.hdel('{{key}}:h', ['f1', 'f2']), r.hdel('{{key}}:h', 'f3')]

                out['setexnx'] = [r.setexnx('{{key}}:once', 0, 'v'), r.setexnx('{{key}}:once', 10, 'w'), r.get('{{key}}:once').decode(), r.ttl('{{key}}:once')]
                out['asItCame'] = r.get('{{key}}:once')  # bytes in a result are their text, as 1.x wrote them

                r.rpush('{{key}}:l', 'a')
                r.rpush('{{key}}:l', 'b')
                out['rotated'] = [r.rpoplpush('{{key}}:l').decode(), [v.decode() for v in r.lrange('{{key}}:l', 0, -1)]]

                base = int(time.time()) // 3600 * 3600 - 3600
                r.ts_add('{{key}}:ts', 1, timestamp=base)
                r.ts_add('{{key}}:ts', 2, timestamp=base + 30)
                r.ts_add('{{key}}:ts', 3, timestamp=base + 60)
                r.ts_add('{{key}}:ts', 4, timestamp=base + 60, mode='addup')
                r.ts_add('{{key}}:ts', 5, timestamp=base + 180)
                out['base'] = base
                out['ts'] = r.ts_get('{{key}}:ts')
                out['tsGrouped'] = r.ts_get('{{key}}:ts', group_time=120, agg='sum', fill_zero=True, dict_output=True)
                out['tsLast'] = r.ts_get('{{key}}:ts', limit=1, time_unit='ms')

                out['deleted'] = [r.del_by_pattern('{{key}}:*'), r.del_by_pattern('{{key}}:*'), r.keys('{{key}}:*')]
                return out
            """;

        var result = (await fixture.RunScriptAsync(code, "main")).Result();

        Assert.Equal("[true,null]", result.GetProperty("lock").GetRawText());
        Assert.Equal("Not lock owner", result.GetProperty("extendOther").GetString());
        Assert.InRange(result.GetProperty("ttlAfterExtend").GetInt32(), 11, 100);
        Assert.Equal("[0,1,0]", result.GetProperty("unlock").GetRawText());
        Assert.Equal("[2,7,2,0]", result.GetProperty("hash").GetRawText());
        var once = result.GetProperty("setexnx");
        Assert.Equal("[true,null,\"v\"]", $"[{once[0].GetRawText()},{once[1].GetRawText()},{once[2].GetRawText()}]");
        Assert.InRange(once[3].GetInt32(), 0, 1);
        Assert.Equal("v", result.GetProperty("asItCame").GetString());
        Assert.Equal("[\"b\",[\"b\",\"a\"]]", result.GetProperty("rotated").GetRawText());

        var at = result.GetProperty("base").GetInt64();
        // Points align to 60 s; 'update' replaces a point, 'addup' adds to it; one point a group by default, averaged.
        var points = result.GetProperty("ts").EnumerateArray().Select(p => (p[0].GetInt64(), p[1].GetDouble())).ToArray();
        Assert.Equal([(at, 2.0), (at + 60, 7.0), (at + 180, 5.0)], points);
        var grouped = result.GetProperty("tsGrouped").EnumerateArray().Select(p => (p.GetProperty("t").GetInt64(), p.GetProperty("v").GetDouble())).ToArray();
        Assert.Equal([(at, 9.0), (at + 120, 5.0)], grouped);
        var last = result.GetProperty("tsLast").EnumerateArray().Select(p => (p[0].GetInt64(), p[1].GetDouble())).ToArray();
        Assert.Equal([((at + 180) * 1000, 5.0)], last);

        Assert.Equal("[3,null,[]]", result.GetProperty("deleted").GetRawText());
    }

    [Fact]
    public async Task MemcachedHelper_SetsAndGets()
    {
        var source = await fixture.CreateSourceAsync("memcached", await TestDataServers.MemcachedConfigAsync());
        var key = SharedServerFixture.UniqueId("m");
        var code = $$"""
            def main():
                m = DFF.SRC('{{source}}')
                m.set('{{key}}', 'hello')
                added_again = m.add('{{key}}', 'other')
                return [m.get('{{key}}'), m.query('get', '{{key}}'), added_again, m.delete('{{key}}'), m.get('{{key}}')]

            # 1.x's client (python-memcached) gave an int back as an int, and text as str.
            def typed():
                m = DFF.SRC('{{source}}')
                m.set('{{key}}:n', 42)
                m.set('{{key}}:t', 'текст')
                m.set('{{key}}:b', b'\xff\x00')
                try:
                    m.set('{{key}}:d', {'a': 1})
                    refused = None
                except TypeError as e:
                    refused = str(e)
                return {'n': m.get('{{key}}:n'), 't': m.get('{{key}}:t'), 'b': repr(m.get('{{key}}:b')), 'refused': refused,
                        'incr': m.run('incr', '{{key}}:n', 1)}

            def threads():
                m = DFF.SRC('{{source}}')

                def work(i):
                    wrong = []
                    for n in range(30):
                        value = '%d-%d' % (i, n)
                        m.set('{{key}}:%d' % i, value)
                        got = m.get('{{key}}:%d' % i)
                        if got != value:
                            wrong.append([value, got])
                    return wrong

                DFF.THREAD.set_pool_size(6)
                for i in range(6):
                    DFF.THREAD.start(work, args=[i], key=str(i))
                return {key: [value, repr(error)] for key, (value, error) in DFF.THREAD.get_result().items() if value or error}
            """;

        Assert.Equal("{}", (await fixture.RunScriptAsync(code, "threads")).Result().GetRawText());
        var typed = (await fixture.RunScriptAsync(code, "typed")).Result();
        Assert.Equal(42, typed.GetProperty("n").GetInt32());
        Assert.Equal("текст", typed.GetProperty("t").GetString());
        Assert.Equal("b'\\xff\\x00'", typed.GetProperty("b").GetString());
        Assert.Contains("json.dumps", typed.GetProperty("refused").GetString());
        Assert.Equal(43, typed.GetProperty("incr").GetInt32());

        var result = (await fixture.RunScriptAsync(code, "main")).Result();

        Assert.Equal("hello", result[0].GetString());
        Assert.Equal("hello", result[1].GetString());
        Assert.False(result[2].GetBoolean());
        Assert.True(result[3].GetBoolean());
        Assert.Equal(JsonValueKind.Null, result[4].ValueKind);
    }

    [Fact]
    public async Task InfluxDbHelper_WritesPointsAndQueriesWithBindParams()
    {
        var config = await TestDataServers.InfluxDbConfigAsync();
        var database = SharedServerFixture.UniqueId("db");
        var source = await fixture.CreateSourceAsync("influxdb", config);
        var code = $$"""
            def main():
                influx = DFF.SRC('{{source}}')
                influx.query('CREATE DATABASE {{database}}')
                influx.write_point('cpu', {'value': 0.5}, tags={'host': 'a'}, database='{{database}}')
                influx.write_points([{'measurement': 'cpu', 'fields': {'value': 0.7}, 'tags': {'host': 'b'} }], database='{{database}}')
                rows = influx.query('SELECT value FROM cpu WHERE host = $host', bind_params={'host': 'b'}, database='{{database}}', dict_output=True)
                raw = DFF.SRC('{{source}}', database='{{database}}').query('SELECT count(value) FROM cpu')
                # As 1.x: a timestamp in seconds (arrow.get), query2 with ? placeholders.
                influx.write_point('mem', {'value': 1}, tags={'host': 'c'}, timestamp=1700000000, database='{{database}}')
                dated = influx.query2('SELECT value FROM mem WHERE host = ?', ['c'], database='{{database}}', dict_output=True)
                return {'rows': rows, 'count': raw['series'][0]['values'][0][1], 'dated': dated}
            """;

        var result = (await fixture.RunScriptAsync(code, "main")).Result();

        // 1.x's dict_output: {'series': [[{column: value, ..., 'tags': {...}}, ...] per series]}.
        var series = result.GetProperty("rows").GetProperty("series");
        Assert.Equal(1, series.GetArrayLength());
        Assert.Equal(1, series[0].GetArrayLength());
        Assert.Equal(0.7, series[0][0].GetProperty("value").GetDouble());
        Assert.Equal(2, result.GetProperty("count").GetInt32());
        var dated = result.GetProperty("dated").GetProperty("series")[0][0];
        Assert.Equal("2023-11-14T22:13:20Z", dated.GetProperty("time").GetString());
    }

    [Fact]
    public async Task MqttHelper_PublishesToTheBroker()
    {
        var config = await TestDataServers.MqttConfigAsync();
        var source = await fixture.CreateSourceAsync("mqtt", config);
        var topic = $"test/{Guid.NewGuid():N}";
        // The script listens with paho itself, so the message is seen arriving at the broker.
        var code = $$"""
            import threading
            import paho.mqtt.client as mqtt

            def main():
                got = []
                arrived = threading.Event()
                subscribed = threading.Event()
                listener = mqtt.Client()
                listener.on_subscribe = lambda *a: subscribed.set()
                listener.on_message = lambda c, u, m: (got.append(m.payload.decode()), arrived.set())
                listener.connect('127.0.0.1', {{config["port"]}})
                listener.subscribe('{{topic}}', qos=1)
                listener.loop_start()
                subscribed.wait(5)
                DFF.SRC('{{source}}').publish('{{topic}}', {'n': 1}, qos=1)
                arrived.wait(5)
                listener.loop_stop()
                return got
            """;

        var result = (await fixture.RunScriptAsync(code, "main")).Result();

        Assert.Equal(["{\"n\": 1}"], result.EnumerateArray().Select(m => m.GetString()!).ToArray());
    }

    [Fact]
    public async Task DffSrc_OfAMissingSource_RaisesAClearError()
    {
        var run = await fixture.RunScriptAsync("def main():\n    return DFF.SRC('no_such_source_here').query('SELECT 1')\n", "main");

        Assert.Contains("No such data source: 'no_such_source_here'", run.ErrorMessage());
    }
}
