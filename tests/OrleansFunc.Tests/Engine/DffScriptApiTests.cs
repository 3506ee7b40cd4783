using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using OrleansFunc.Tests.Infrastructure.DataServers;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>
/// The rest of DataFlux Func 1.x's script API, written the way a 1.x script uses it and run from the editor's Run
/// (issue 22): DFF.THREAD, DFF.CTX, DFF.SQL, DFF.RSRC, print_var, DFF.CONFIG, the listing helpers of DFF.SRC and DFF.ENV,
/// the rest of DFF.CACHE, and the lower-case aliases.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class DffScriptApiTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private string Token => fixture.AdminToken;

    private async Task<JsonElement> RunDraftAsync(string code, string funcName) =>
        await RunDraftAsync(SharedServerFixture.UniqueId("api") + "__main", code, funcName);

    private async Task<JsonElement> RunDraftAsync(string scriptId, string code, string funcName)
    {
        var set = scriptId[..scriptId.IndexOf("__", StringComparison.Ordinal)];
        if ((await Server.GetAsync($"/api/v1/scripts/{scriptId}", Token)).Status != 200)
        {
            (await Server.PostAsync("/api/v1/script-sets", new { id = set }, Token)).AssertOk();
            (await Server.PostAsync("/api/v1/scripts", new { id = scriptId, codeDraft = code }, Token)).AssertOk();
        }
        else
        {
            (await Server.PatchAsync($"/api/v1/scripts/{scriptId}", new { codeDraft = code }, Token)).AssertOk();
        }
        var run = (await Server.PostAsync($"/api/v1/scripts/{scriptId}/run", new { funcName }, Token)).AssertOk();
        Assert.True(run.GetProperty("status").GetString() == "success", run.GetRawText());
        return run;
    }

    [Fact]
    public async Task Store_KeepsJsonValuesByScopeAndExpiry_AndTheManagerListsEditsAndDeletesThem()
    {
        var scriptId = SharedServerFixture.UniqueId("st") + "__main";
        var elsewhere = SharedServerFixture.UniqueId("scope-");
        var run = await RunDraftAsync(scriptId, $$"""
            import time

            def store():
                DFF.STORE.set('user', {'name': 'ann', 'tags': [1, 2]})
                DFF.STORE.set('user', 'another scope', scope='{{elsewhere}}')
                first = DFF.STORE.set('once', 1, not_exists=True)
                second = DFF.STORE.set('once', 2, not_exists=True)
                DFF.STORE.set('short', 'x', expires=1)
                DFF.STORE.set('k_1', 1)
                DFF.STORE.set('k%2', 2)
                before = DFF.STORE.get('short')
                time.sleep(1.5)
                return {'user': DFF.STORE.get('user'), 'other': DFF.STORE.get('user', scope='{{elsewhere}}'),
                        'once': [first, second, DFF.STORE('once')], 'short': [before, DFF.STORE.get('short')],
                        'literal': DFF.STORE.keys('k_*'), 'glob': DFF.STORE.keys('k?1'), 'all': DFF.STORE.keys(),
                        'deleted': [DFF.STORE.delete('once'), DFF.STORE.delete('once')], 'gone': DFF.store.get('once')}
            """, "store");
        var result = run.GetProperty("result");
        Assert.Equal("""{"name":"ann","tags":[1,2]}""", result.GetProperty("user").GetRawText());
        Assert.Equal("another scope", result.GetProperty("other").GetString());
        Assert.Equal("[true,false,1]", result.GetProperty("once").GetRawText());
        Assert.Equal("""["x",null]""", result.GetProperty("short").GetRawText());
        Assert.Equal("""["k_1"]""", result.GetProperty("literal").GetRawText());
        Assert.Equal("""["k_1"]""", result.GetProperty("glob").GetRawText());
        Assert.Equal("""["k%2","k_1","once","user"]""", result.GetProperty("all").GetRawText());
        Assert.Equal("[true,false]", result.GetProperty("deleted").GetRawText());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("gone").ValueKind);

        // The func store manager, behind its experimental feature.
        (await Server.PatchAsync("/api/v1/experimental-features/funcStoreManager", new { isEnabled = false }, Token)).AssertOk();
        (await Server.GetAsync($"/api/v1/func-stores?scope={scriptId}", Token)).AssertError(403.21);
        (await Server.PatchAsync("/api/v1/experimental-features/funcStoreManager", new { isEnabled = true }, Token)).AssertOk();
        var listed = (await Server.GetAsync($"/api/v1/func-stores?scope={scriptId}&pattern=u*", Token)).AssertOk();
        var entry = Assert.Single(listed.EnumerateArray());
        Assert.Equal(("user", """{"name":"ann","tags":[1,2]}"""), (entry.GetProperty("key").GetString(), entry.GetProperty("valueJSON").GetString()));

        (await Server.PutAsync($"/api/v1/func-stores/{scriptId}/user", new { valueJSON = "not json" }, Token)).AssertError(400.43);
        var edited = (await Server.PutAsync($"/api/v1/func-stores/{scriptId}/user", new { valueJSON = """{"name":"bob"}""", expires = 3600 }, Token)).AssertOk();
        Assert.True(edited.GetProperty("expireAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(50));
        var read = await RunDraftAsync(scriptId, "def read():\n    return DFF.STORE.get('user')\n", "read");
        Assert.Equal("bob", read.GetProperty("result").GetProperty("name").GetString());

        // Members neither read nor change what scripts keep.
        var username = SharedServerFixture.UniqueId("m");
        (await Server.PostAsync("/api/v1/users", new { username, password = "member-password" }, Token)).AssertOk();
        var member = await Server.SignInAsync(username, "member-password");
        (await Server.GetAsync($"/api/v1/func-stores?scope={scriptId}", member)).AssertError(403.15);
        (await Server.PutAsync($"/api/v1/func-stores/{scriptId}/user", new { valueJSON = "1" }, member)).AssertError(403.15);
        (await Server.DeleteAsync($"/api/v1/func-stores/{scriptId}/user", member)).AssertError(403.15);

        (await Server.DeleteAsync($"/api/v1/func-stores/{scriptId}/user", Token)).AssertOk();
        (await Server.DeleteAsync($"/api/v1/func-stores/{scriptId}/user", Token)).AssertError(404.41);
        var operations = (await Server.GetAsync("/api/v1/operation-records?pageSize=20", Token)).AssertOk().GetRawText();
        Assert.Contains("funcStore", operations);
    }

    [Fact]
    public async Task Thread_RunsWorkInParallel_CollectsResultsAndErrors_AndIsJoinedBeforeTheRunEnds()
    {
        var run = await RunDraftAsync("""
            import time

            def square(x):
                time.sleep(0.05)
                return x * x

            def late():
                time.sleep(0.3)
                print('late thread done')

            @DFF.API('Threads')
            def threads():
                for i in range(5):
                    DFF.THREAD.start(square, args=[i], key='sq-%d' % i)
                DFF.THREAD.start(lambda: 1 / 0, key='bad')
                DFF.THREAD.start(DFF.CACHE.set, args=['from-thread', 'yes'], key='cache')
                results = DFF.THREAD.get_result()
                value, error = DFF.THREAD.get_result(key='bad')
                DFF.THREAD.start(late)
                return {'squares': [results['sq-%d' % i][0] for i in range(5)], 'bad': type(error).__name__,
                        'cache': DFF.CACHE.get('from-thread'), 'unknown': DFF.THREAD.get_result(key='nope')}
            """, "threads");
        var result = run.GetProperty("result");
        Assert.Equal([0, 1, 4, 9, 16], result.GetProperty("squares").EnumerateArray().Select(v => v.GetInt32()).ToArray());
        Assert.Equal("ZeroDivisionError", result.GetProperty("bad").GetString());
        Assert.Equal("yes", result.GetProperty("cache").GetString());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("unknown").ValueKind);
        // The thread still sleeping when the func returned was waited for: its line is in this run's log.
        Assert.Contains("late thread done", run.GetProperty("printLogs").EnumerateArray().Select(l => l.GetString()));
    }

    /// <summary>
    /// Threads of a run ask the silo at once (1.x scripts fetch and cache in DFF.THREAD workers): pythonnet lets go of the
    /// GIL in every .NET call, so two threads were both inside the worker's one channel, writing frames over each other
    /// and reading each other's answers. Each thread must get its own answers, and the worker must live on.
    /// </summary>
    [Fact]
    public async Task Thread_CallsTheSiloFromEveryThreadAtOnce_AndEachGetsItsOwnAnswers()
    {
        var run = await RunDraftAsync("""
            def work(i):
                wrong = []
                for n in range(40):
                    value = '%d-%d' % (i, n)
                    DFF.CACHE.set('t%d' % i, value)
                    DFF.STORE.set('s%d' % i, value)
                    got = [DFF.CACHE.get('t%d' % i), DFF.STORE.get('s%d' % i)]
                    if got != [value, value]:
                        wrong.append([value, got])
                return wrong

            def threads():
                DFF.THREAD.set_pool_size(8)
                for i in range(8):
                    DFF.THREAD.start(work, args=[i], key=str(i))
                results = DFF.THREAD.get_result()
                return {key: [value, repr(error)] for key, (value, error) in results.items() if value or error}
            """, "threads");
        Assert.Equal("{}", run.GetProperty("result").GetRawText());
    }

    [Fact]
    public async Task ContextSqlResourcePathPrintVarAndLowerCaseNames_BehaveAs1x()
    {
        var run = await RunDraftAsync("""
            def helpers():
                DFF.CTX.set('user', 'ann')
                DFF.ctx.set('n', 1)
                DFF.CTX.delete('n')
                print_var(x=[1, 2])
                DFF.VAR(3)
                return {
                    'ctx': [DFF.CTX.has('user'), DFF.CTX('user'), DFF.CTX.get_all(), DFF.CTX.has('n')],
                    'sql': DFF.SQL('SELECT * FROM ?? WHERE id IN (?) AND name = ?', ['users', [1, 2], "o'neil"]),
                    'rsrc': DFF.RSRC('data/a.csv').endswith('/resources/data/a.csv'),
                    'eval': DFF.EVAL('1 + 2'),
                    'lower': [DFF.sql is DFF.SQL, DFF.thread is DFF.THREAD, DFF.src is DFF.SRC, DFF.conn is DFF.SRC],
                    'unknown': DFF.NO_SUCH_MEMBER,
                }
            """, "helpers");
        var result = run.GetProperty("result");
        Assert.Equal("""[true,"ann",{"user":"ann"},false]""", result.GetProperty("ctx").GetRawText());
        Assert.Equal("SELECT * FROM users WHERE id IN (1, 2) AND name = 'o\\'neil'", result.GetProperty("sql").GetString());
        Assert.True(result.GetProperty("rsrc").GetBoolean());
        Assert.Equal(3, result.GetProperty("eval").GetInt32());
        Assert.All(result.GetProperty("lower").EnumerateArray(), same => Assert.True(same.GetBoolean()));
        Assert.Equal(JsonValueKind.Null, result.GetProperty("unknown").ValueKind);
        var logs = run.GetProperty("printLogs").EnumerateArray().Select(l => l.GetString()!).ToArray();
        Assert.Matches("^\\[VAR\\] x: type=`<class 'list'>`, value=`\\[1, 2\\]`, obj_size=`\\d+`$", logs[0]);
        Assert.StartsWith("[VAR] type=`<class 'int'>`, value=`3`", logs[1]);
    }

    [Fact]
    public async Task Config_ReadsOnlyTheCustomSettings_FromTheSettingsAndTheDffCustomEnvironment()
    {
        var run = await RunDraftAsync("""
            def config():
                try:
                    DFF.CONFIG.get('SECRET')
                    refused = False
                except PermissionError:
                    refused = True
                return {'greeting': DFF.CONFIG('CUSTOM_GREETING'), 'region': DFF.CONFIG.get('CUSTOM_REGION'),
                        'missing': DFF.CONFIG.get('CUSTOM_NONE', 'fallback'), 'dict': DFF.CONFIG.dict(), 'refused': refused}
            """, "config");
        var result = run.GetProperty("result");
        Assert.Equal("hello", result.GetProperty("greeting").GetString());
        Assert.Equal("cn-test", result.GetProperty("region").GetString());
        Assert.Equal("fallback", result.GetProperty("missing").GetString());
        Assert.True(result.GetProperty("refused").GetBoolean());
        Assert.All(result.GetProperty("dict").EnumerateObject(), setting => Assert.StartsWith("CUSTOM_", setting.Name));
    }

    [Fact]
    public async Task SrcAndEnvListings_NameWhatIsThere_WithoutAnySecret()
    {
        var source = SharedServerFixture.UniqueId("lst_");
        (await Server.PostAsync("/api/v1/data-sources",
            new { id = source, title = "Listed", type = "mysql", configJSON = await TestDataServers.MariaDbConfigAsync() }, Token)).AssertOk();
        var variable = SharedServerFixture.UniqueId("LST_");
        (await Server.PostAsync("/api/v1/env-variables", new { id = variable, valueTEXT = "7", autoTypeCasting = "integer" }, Token)).AssertOk();

        var run = await RunDraftAsync($$"""
            def listings():
                sources = [s for s in DFF.SRC.list() if s['id'] == '{{source}}']
                try:
                    DFF.SRC.save('x', 'mysql', {})
                    saved = True
                except PermissionError:
                    saved = False
                return {'sources': sources, 'saved': saved, 'keys': '{{variable}}' in DFF.ENV.keys(),
                        'env': [e for e in DFF.ENV.list() if e['id'] == '{{variable}}'], 'default': DFF.ENV.get('NO_SUCH_VAR', 'd')}
            """, "listings");
        var result = run.GetProperty("result");
        var listed = Assert.Single(result.GetProperty("sources").EnumerateArray());
        Assert.Equal(["description", "id", "title", "type"], listed.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("Listed", listed.GetProperty("title").GetString());
        Assert.Equal("mysql", listed.GetProperty("type").GetString());
        Assert.DoesNotContain(TestDataServers.Password, run.GetRawText());
        Assert.False(result.GetProperty("saved").GetBoolean());
        Assert.True(result.GetProperty("keys").GetBoolean());
        Assert.Equal($$"""[{"id":"{{variable}}","value":7}]""", result.GetProperty("env").GetRawText());
        Assert.Equal("d", result.GetProperty("default").GetString());
    }

    [Fact]
    public async Task Cache_HasTheHashListAndCounterOperationsOf1x()
    {
        var run = await RunDraftAsync("""
            def cache():
                DFF.CACHE.hmset('h', {'a': 1, 'b': 'x', 'ab': 2})
                DFF.CACHE.hincr('h', 'a', 5)
                for v in ['1', '2', '3', '4']:
                    DFF.CACHE.rpush('l', v)
                DFF.CACHE.ltrim('l', 1, -1)
                moved = DFF.CACHE.rpoplpush('l', 'l2')
                other = DFF.CACHE.rpoplpush('l', 'l3', dest_scope='elsewhere')
                DFF.CACHE.mset({'m1': 'a', 'm2': 'b'})
                DFF.CACHE.set(123, 'n')  # 1.x made a key of str(key)
                DFF.CACHE.set('e', 'x', expires=100)
                expired = DFF.CACHE.expire('e', 0)  # Redis deletes a key expired with 0
                return {
                    'numeric': [DFF.CACHE.get('123'), DFF.CACHE.get(123)], 'expiredNow': [expired, DFF.CACHE.exists('e')],
                    'wholeHashAsBytes': all(isinstance(v, bytes) for v in DFF.CACHE.hget('h').values()),
                    'all': DFF.CACHE.hget('h'), 'some': DFF.CACHE.hget('h', ['a', 'zz']), 'one': DFF.CACHE.hget('h', 'b'),
                    'hkeys': DFF.CACHE.hkeys('h', 'a*'), 'l': DFF.CACHE.lrange('l'), 'l2': DFF.CACHE.lrange('l2'),
                    'moved': [moved, other, DFF.CACHE.lrange('l3', scope='elsewhere')], 'm': DFF.CACHE.mget(['m1', 'm2', 'm3']),
                    'call': DFF.CACHE('m1'), 'run': DFF.CACHE.run('GET', 'm2'),
                }
            """, "cache");
        var result = run.GetProperty("result");
        Assert.Equal("""{"a":"6","ab":"2","b":"x"}""", Sorted(result.GetProperty("all")));
        Assert.Equal("""{"a":"6","zz":null}""", Sorted(result.GetProperty("some")));
        Assert.Equal("x", result.GetProperty("one").GetString());
        Assert.Equal("""["a","ab"]""", result.GetProperty("hkeys").GetRawText());
        Assert.Equal("""["2"]""", result.GetProperty("l").GetRawText());
        Assert.Equal("""["4"]""", result.GetProperty("l2").GetRawText());
        Assert.Equal("""["4","3",["3"]]""", result.GetProperty("moved").GetRawText());
        Assert.Equal("""{"m1":"a","m2":"b","m3":null}""", result.GetProperty("m").GetRawText());
        Assert.Equal("a", result.GetProperty("call").GetString());
        Assert.Equal("b", result.GetProperty("run").GetString());
        Assert.Equal("""["n","n"]""", result.GetProperty("numeric").GetRawText());
        Assert.Equal("[true,false]", result.GetProperty("expiredNow").GetRawText());
        Assert.True(result.GetProperty("wholeHashAsBytes").GetBoolean());
    }

    /// <summary>DataFlux Func's own sample script (1.x <c>test/sample_code.py</c>), adapted: the large-data funcs return 1,000 items, not 100,000.</summary>
    [Fact]
    public async Task SampleCodeOf1x_PublishesAndAnswersAs1x()
    {
        const string sample = """
            import time
            import json
            import random
            from datetime import datetime

            LARGE_DATA_LENGTH = 1000

            def gen_large_data(with_datetime_field=False):
                data = []
                for i in range(LARGE_DATA_LENGTH):
                    d = { 'id': i, 'value': random.uniform(0, 10000) }
                    if with_datetime_field:
                        d['date'] = datetime.now()
                    data.append(d)
                return data

            @DFF.API('测试函数', category='testCate1', tags=['testTag1', '测试标签2'])
            def test_func(x, y):
                '''
                测试函数
                输入参数 x, y 均为数字类型，返回结果为两者之和
                '''
                return float(x) + float(y)

            @DFF.API('测试函数-带缓存', cache_result=30)
            def test_func_with_cache():
                time.sleep(1)
                return 'OK'

            @DFF.API('大型数据', api_timeout=180, timeout=180)
            def test_func_large_data(use_feature=False, with_datetime_field=False):
                data = gen_large_data(with_datetime_field)
                if use_feature:
                    return DFF.RESP_LARGE_DATA(data)
                else:
                    return data

            @DFF.API('认证函数')
            def test_func_auth(req):
                return req['headers']['x-my-token'] == '<TOKEN>'
            """;
        var set = SharedServerFixture.UniqueId("smp");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, Token)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__sample", codeDraft = sample }, Token)).AssertOk();
        var funcs = (await Server.PostAsync($"/api/v1/scripts/{set}__sample/publish", null, Token)).AssertOk().GetProperty("funcs");
        Assert.Equal(["test_func", "test_func_with_cache", "test_func_large_data", "test_func_auth"],
            funcs.EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToArray());
        Assert.Equal(["testTag1", "测试标签2"], funcs[0].GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray());

        Assert.Equal(3.5, (await Server.PostAsync($"/api/v1/func/{set}__sample.test_func", new { kwargs = new { x = 1, y = "2.5" } }, Token))
            .AssertOk().GetProperty("result").GetDouble());
        Assert.Equal("OK", (await Server.PostAsync($"/api/v1/func/{set}__sample.test_func_with_cache", new { kwargs = new { } }, Token))
            .AssertOk().GetProperty("result").GetString());
        var data = (await Server.PostAsync($"/api/v1/func/{set}__sample.test_func_large_data", new { kwargs = new { } }, Token)).AssertOk().GetProperty("result");
        Assert.Equal(1000, data.GetArrayLength());
        // Datetimes (a database row's, here now()) come out as ISO text, as 1.x wrote them; a naive one as UTC.
        var dated = (await Server.PostAsync($"/api/v1/func/{set}__sample.test_func_large_data", new { kwargs = new { with_datetime_field = true } }, Token))
            .AssertOk().GetProperty("result");
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$", dated[0].GetProperty("date").GetString());
        // The sample's other way: the same rows through DFF.RESP_LARGE_DATA, which 1.x writes with the same datetime rule.
        var link = (await Server.PostAsync("/api/v1/auth-links", new { funcId = $"{set}__sample.test_func_large_data" }, Token)).AssertOk().GetProperty("id").GetString();
        var viaFile = await Server.GetAsync($"/api/v1/al/{link}/s?use_feature=1&with_datetime_field=1");
        Assert.True(viaFile.Status == 200, viaFile.Text);
        using var rows = JsonDocument.Parse(viaFile.Text);
        Assert.True(rows.RootElement.ValueKind == JsonValueKind.Array, viaFile.Text[..Math.Min(300, viaFile.Text.Length)]);
        Assert.Equal(1000, rows.RootElement.GetArrayLength());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$", rows.RootElement[0].GetProperty("date").GetString());
    }

    /// <summary>
    /// An imported script is a module of its own in 1.x (`_custom_import`: a scope made for it, the caller's `_DFF_*`
    /// copied in): its DFF.CACHE and DFF.STORE default to its own name, whoever calls it, `_DFF_SCRIPT_ID` is the
    /// caller's, and its `import __x` names a script of its own set. Every `_DFF_*` of 1.x's runner is defined in every
    /// run (None where the run has none), and `_DFF_FUNC_CHAIN` ends with the running func.
    /// </summary>
    [Fact]
    public async Task AnImportedScript_KeepsItsOwnCacheAndStore_AndImportsFromItsOwnSet_AndEveryVariableIsDefined()
    {
        var lib = SharedServerFixture.UniqueId("lib");
        (await Server.PostAsync("/api/v1/script-sets", new { id = lib }, Token)).AssertOk();
        foreach (var (id, code) in new[]
        {
            ($"{lib}__helper", "def where():\n    return 'lib helper'\n"),
            ($"{lib}__utils", "import __helper\n\ndef remember(value):\n    DFF.CACHE.set('token', value)\n    DFF.STORE.set('last', value)\n" +
                "    return {'cache': DFF.CACHE.get('token'), 'helper': __helper.where(), 'scriptId': _DFF_SCRIPT_ID, 'chain': _DFF_FUNC_CHAIN}\n"),
        })
        {
            (await Server.PostAsync("/api/v1/scripts", new { id, codeDraft = code }, Token)).AssertOk();
            (await Server.PostAsync($"/api/v1/scripts/{id}/publish", null, Token)).AssertOk();
        }
        var main = SharedServerFixture.UniqueId("app") + "__main";
        var run = await RunDraftAsync(main, $$"""
            import {{lib}}__utils as utils

            def helper_here():
                return 'app helper'

            def call():
                seen = utils.remember('t1')
                return {'lib': seen, 'mine': [DFF.CACHE.get('token'), DFF.STORE.get('last')],
                        'libScope': [DFF.CACHE.get('token', scope='{{lib}}__utils'), DFF.STORE.get('last', scope='{{lib}}__utils')],
                        'chain': _DFF_FUNC_CHAIN, 'none': [_DFF_CRONTAB, _DFF_CRONTAB_DELAY, _DFF_CRON_EXPR, _DFF_CRON_JOB_EXEC_MODE],
                        'execMode': _DFF_EXEC_MODE, 'rootIsOwnTask': _DFF_ROOT_TASK_ID == _DFF_TASK_ID}
            """, "call");
        var result = run.GetProperty("result");
        var seen = result.GetProperty("lib");
        Assert.Equal("t1", seen.GetProperty("cache").GetString());
        Assert.Equal("lib helper", seen.GetProperty("helper").GetString());
        Assert.Equal(main, seen.GetProperty("scriptId").GetString());
        Assert.Equal([$"{main}.call"], seen.GetProperty("chain").EnumerateArray().Select(f => f.GetString()!).ToArray());
        Assert.Equal("[null,null]", result.GetProperty("mine").GetRawText());
        Assert.Equal("[\"t1\",\"t1\"]", result.GetProperty("libScope").GetRawText());
        Assert.Equal([$"{main}.call"], result.GetProperty("chain").EnumerateArray().Select(f => f.GetString()!).ToArray());
        Assert.Equal("[null,null,null,null]", result.GetProperty("none").GetRawText());
        Assert.Equal("sync", result.GetProperty("execMode").GetString());
        Assert.True(result.GetProperty("rootIsOwnTask").GetBoolean());  // 1.x's debugger: an editor run is its own root
    }

    /// <summary>Two sets that each have a <c>__utils</c>, both imported in one run: each script's <c>import __utils</c> is its
    /// own set's (1.x's per-scope import). Python keeps a module by the name it was imported as, so the second set's
    /// <c>import __utils</c> was answered with the first set's module.</summary>
    [Fact]
    public async Task ScriptsOfTwoSets_ImportingTheSameShortName_EachGetTheirOwnSetsScript()
    {
        var lib = SharedServerFixture.UniqueId("lib");
        var app = SharedServerFixture.UniqueId("app");
        (await Server.PostAsync("/api/v1/script-sets", new { id = lib }, Token)).AssertOk();
        (await Server.PostAsync("/api/v1/script-sets", new { id = app }, Token)).AssertOk();
        foreach (var (id, code) in new[]
        {
            ($"{lib}__utils", "def who():\n    return 'lib utils'\n"),
            ($"{lib}__entry", "import __utils\n\ndef call():\n    import __utils as later\n    return [__utils.who(), later.who()]\n"),
            ($"{app}__utils", "def who():\n    return 'app utils'\n"),
            ($"{app}__main", "def call():\n    pass\n"),
        })
        {
            (await Server.PostAsync("/api/v1/scripts", new { id, codeDraft = code }, Token)).AssertOk();
            (await Server.PostAsync($"/api/v1/scripts/{id}/publish", null, Token)).AssertOk();
        }

        var run = await RunDraftAsync($"{app}__main", $$"""
            import __utils
            import {{lib}}__entry as entry
            from __utils import who

            def call():
                import __utils as later
                return {'mine': [__utils.who(), who(), later.who()], 'lib': entry.call()}
            """, "call");

        var result = run.GetProperty("result");
        Assert.Equal("[\"app utils\",\"app utils\",\"app utils\"]", result.GetProperty("mine").GetRawText());
        Assert.Equal("[\"lib utils\",\"lib utils\"]", result.GetProperty("lib").GetRawText());
    }

    private static string Sorted(JsonElement obj) =>
        JsonSerializer.Serialize(obj.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).ToDictionary(p => p.Name, p => p.Value));
}
