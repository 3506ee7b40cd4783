using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>A server whose editor runs time out after 2 s, so runaway scripts end quickly.</summary>
public sealed class ShortTimeoutServerFixture : IAsyncLifetime
{
    private TestServer? _server;

    public TestServer Server => _server!;

    public string Token { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("engine"), await TestPostgres.CreateDatabaseAsync());
        var environment = settings.ToEnvironment();
        environment["OrleansFunc__Engine__Lanes__Debug__DefaultTimeoutSeconds"] = "2";
        environment["OrleansFunc__Engine__HardKillGrace"] = "00:00:01";
        // Low, so that a run going over it gets there long before its 2 s: first-touching memory ran at about 200 MB/s
        // on a VM of 2026-12-06, and a 400 MB limit lost that race to the time limit (a "timeout", not a memory kill).
        environment["OrleansFunc__Engine__MemoryLimitMb"] = "160";
        _server = await TestServer.StartAsync(settings, environment);
        Token = await _server.SetUpAndSignInAsync();
        (await _server.PostAsync("/api/v1/script-sets", new { id = "engine" }, Token)).AssertOk();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>Editor runs on real Python workers (SPEC S4, S5).</summary>
public sealed class EditorRunTests(ShortTimeoutServerFixture fixture) : IClassFixture<ShortTimeoutServerFixture>
{
    private TestServer Server => fixture.Server;

    private async Task<string> ScriptAsync(string code)
    {
        var id = $"engine__{SharedServerFixture.UniqueId("s")}";
        (await Server.PostAsync("/api/v1/scripts", new { id, codeDraft = code }, fixture.Token)).AssertOk();
        return id;
    }

    private async Task<JsonElement> RunAsync(string scriptId, string funcName, object? kwargs = null) =>
        (await Server.PostAsync($"/api/v1/scripts/{scriptId}/run", new { funcName, kwargs }, fixture.Token)).AssertOk();

    [Fact]
    public async Task Run_CallsTheFuncWithKwargs_AndCapturesPrint()
    {
        var id = await ScriptAsync("def greet(name, punctuation='!'):\n    print('greeting', name)\n    print('done')\n    return {'text': 'hi ' + name + punctuation}\n");
        var run = await RunAsync(id, "greet", new { name = "Ann" });
        Assert.Equal("success", run.GetProperty("status").GetString());
        Assert.Equal("hi Ann!", run.GetProperty("result").GetProperty("text").GetString());
        Assert.Equal(["greeting Ann", "done"], run.GetProperty("printLogs").EnumerateArray().Select(l => l.GetString()!).ToArray());
        Assert.True(run.GetProperty("cost").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.Null, run.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task Run_WhenTheFuncRaises_ReturnsTypeMessageLineAndUserTraceback()
    {
        var id = await ScriptAsync("def helper():\n    return 1 / 0\n\ndef fail():\n    x = 1\n    return helper()\n");
        var error = (await RunAsync(id, "fail")).GetProperty("error");
        Assert.Equal("ZeroDivisionError", error.GetProperty("type").GetString());
        Assert.Equal("division by zero", error.GetProperty("message").GetString());
        Assert.Equal(2, error.GetProperty("line").GetInt32());
        var traceback = error.GetProperty("traceback").GetString()!;
        Assert.Contains($"File \"{id}\", line 6, in fail", traceback);
        Assert.Contains($"File \"{id}\", line 2, in helper", traceback);
        Assert.DoesNotContain("dff_runtime", traceback);
    }

    [Fact]
    public async Task Run_GlobalsAreFreshEachTime()
    {
        var id = await ScriptAsync("counter = 0\n\ndef bump():\n    global counter\n    counter += 1\n    return counter\n");
        Assert.Equal(1, (await RunAsync(id, "bump")).GetProperty("result").GetInt32());
        Assert.Equal(1, (await RunAsync(id, "bump")).GetProperty("result").GetInt32());
    }

    [Fact]
    public async Task Run_ResultThatIsNotJson_IsAClearError()
    {
        var id = await ScriptAsync("def f():\n    return object()\n");
        var run = await RunAsync(id, "f");
        Assert.Equal("failure", run.GetProperty("status").GetString());
        Assert.Equal("FuncResultNotSerializable", run.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Run_OfAMissingOrPrivateFunc_IsRefused()
    {
        var id = await ScriptAsync("def _hidden():\n    return 1\n");
        Assert.Equal("FuncNotFound", (await RunAsync(id, "missing")).GetProperty("error").GetProperty("type").GetString());
        (await Server.PostAsync($"/api/v1/scripts/{id}/run", new { funcName = "_hidden" }, fixture.Token)).AssertError(400.43);
        (await Server.PostAsync($"/api/v1/scripts/{id}/run", new { funcName = "x", kwargs = new[] { 1 } }, fixture.Token)).AssertError(400.43);
        (await Server.PostAsync("/api/v1/scripts/engine__nope/run", new { funcName = "x" }, fixture.Token)).AssertError(404.41);
    }

    [Fact]
    public async Task Run_WritingToStdoutOrFd1_DoesNotBreakTheChannel()
    {
        var id = await ScriptAsync("import os, sys\n\ndef noisy():\n    os.write(1, b'raw bytes on fd 1')\n    sys.stdout.write('text')\n    sys.__stdout__.write('more')\n    print('captured')\n    return 'fine'\n");
        var run = await RunAsync(id, "noisy");
        Assert.Equal("fine", run.GetProperty("result").GetString());
        Assert.Equal("captured", run.GetProperty("printLogs")[0].GetString());
        Assert.Equal("fine", (await RunAsync(id, "noisy")).GetProperty("result").GetString());
    }

    [Theory]
    [InlineData("while True:\n        pass")]
    [InlineData("import time\n    time.sleep(999)")]
    [InlineData("import time\n    while True:\n        try:\n            time.sleep(999)\n        except BaseException:\n            pass")]
    [InlineData("import select\n    select.select([], [], [], 999)")]
    public async Task Run_ThatNeverEnds_TimesOut_AndTheNextRunWorks(string body)
    {
        var id = await ScriptAsync($"def runaway():\n    {body}\n\ndef ok():\n    return 'alive'\n");
        var run = await RunAsync(id, "runaway");
        Assert.Equal("timeout", run.GetProperty("status").GetString());
        Assert.Equal("FuncTimeout", run.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("alive", (await RunAsync(id, "ok")).GetProperty("result").GetString());
    }

    [Theory]
    [InlineData("import os\n    os._exit(1)")]
    [InlineData("import ctypes\n    ctypes.string_at(0)")]
    [InlineData("import os, signal\n    os.kill(os.getpid(), signal.SIGKILL)")]
    public async Task Run_ThatKillsItsWorker_FailsClearly_AndTheNextRunWorks(string body)
    {
        var id = await ScriptAsync($"def crash():\n    {body}\n\ndef ok():\n    return 'alive'\n");
        var run = await RunAsync(id, "crash");
        Assert.Equal("failure", run.GetProperty("status").GetString());
        Assert.Equal("WorkerCrashed", run.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("alive", (await RunAsync(id, "ok")).GetProperty("result").GetString());
    }

    [Fact]
    public async Task Run_SeesItsContextVariables()
    {
        var id = await ScriptAsync("def ctx():\n    return [_DFF_DEBUG, _DFF_SCRIPT_ID, _DFF_SCRIPT_SET_ID, _DFF_FUNC_NAME]\n");
        var result = (await RunAsync(id, "ctx")).GetProperty("result");
        Assert.True(result[0].GetBoolean());
        Assert.Equal(id, result[1].GetString());
        Assert.Equal("engine", result[2].GetString());
        Assert.Equal("ctx", result[3].GetString());
    }

    [Fact]
    public async Task Run_ImportsOtherScriptsByIdUsingTheirPublishedCode()
    {
        var suffix = SharedServerFixture.UniqueId("u");
        var utils = $"engine__{suffix}";
        (await Server.PostAsync("/api/v1/scripts", new { id = utils, codeDraft = "state = []\n\ndef shout(text):\n    state.append(text)\n    print('shouting', text)\n    return text.upper() + str(len(state))\n" }, fixture.Token)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{utils}/publish", null, fixture.Token)).AssertOk();
        // A later draft of the imported script is not what importers get.
        (await Server.PatchAsync($"/api/v1/scripts/{utils}", new { codeDraft = "def shout(text):\n    return 'draft'\n" }, fixture.Token)).AssertOk();

        var id = await ScriptAsync($"import {utils}\nfrom __{suffix} import shout\n\ndef main():\n    print('start')\n    return [{utils}.shout('a'), shout('b')]\n\ndef missing():\n    import engine__no_such_script\n");
        var first = await RunAsync(id, "main");
        Assert.Equal(["A1", "B2"], first.GetProperty("result").EnumerateArray().Select(v => v.GetString()!).ToArray());
        // The imported script's print lines are the run's too, in order.
        Assert.Equal(["start", "shouting a", "shouting b"], first.GetProperty("printLogs").EnumerateArray().Select(v => v.GetString()!).ToArray());
        // Module state of an imported script is fresh on every run too.
        Assert.Equal(["A1", "B2"], (await RunAsync(id, "main")).GetProperty("result").EnumerateArray().Select(v => v.GetString()!).ToArray());
        Assert.Equal("ModuleNotFoundError", (await RunAsync(id, "missing")).GetProperty("error").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("x = b'x' * (6 * 1024 ** 3)\n    return len(x)", "FuncMemoryLimit")]
    [InlineData("x = bytearray(200 * 1024 ** 3)\n    return len(x)", "MemoryError")]
    public async Task Run_ThatAllocatesTooMuch_FailsClearly_AndTheNextRunWorks(string body, string errorType)
    {
        var id = await ScriptAsync($"def hog():\n    {body}\n\ndef ok():\n    return 'alive'\n");
        var run = await RunAsync(id, "hog");
        Assert.Equal("failure", run.GetProperty("status").GetString());
        Assert.Equal(errorType, run.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("alive", (await RunAsync(id, "ok")).GetProperty("result").GetString());
    }

    [Fact]
    public async Task Run_ThatLeavesProcessesBehind_GetsAFreshWorkerNextTime()
    {
        var id = await ScriptAsync("import os, time\n\ndef spawn():\n    for _ in range(20):\n        if os.fork() == 0:\n            time.sleep(1000)\n    return os.environ['HOME']\n\n" + WorkerProcesses.HomeFunc);
        var spawner = (await RunAsync(id, "spawn")).GetProperty("result").GetString()!;
        Assert.NotEqual(spawner, (await RunAsync(id, "home")).GetProperty("result").GetString());
        Assert.Null(WorkerProcesses.HostPid(spawner));
    }

    [Fact]
    public async Task Run_AsRoot_RunsUserCodeAsAnUnprivilegedUserWithoutSecrets()
    {
        var id = await ScriptAsync("import os\n\ndef who():\n    return [os.geteuid(), sorted(os.environ)]\n");
        var result = (await RunAsync(id, "who")).GetProperty("result");
        if (Environment.IsPrivilegedProcess)
        {
            Assert.NotEqual(0, result[0].GetInt32());
        }
        var variables = result[1].EnumerateArray().Select(v => v.GetString()!).ToList();
        Assert.DoesNotContain(variables, v => v.StartsWith("OrleansFunc", StringComparison.OrdinalIgnoreCase) || v.StartsWith("ORLEANSFUNC"));
    }

    [Fact]
    public async Task Run_WithDffResp_ReturnsTheDataAndTheResponseControl()
    {
        var id = await ScriptAsync("def csv():\n    return DFF.RESP('a,b', status_code=201, content_type='text/csv', headers={'X-Test': 1}, download='out.csv')\n\n" +
            "def away():\n    return DFF.REDIRECT('https://example.org/a b')\n\ndef bad():\n    return DFF.RESP(1, status_code=999)\n");
        var csv = await RunAsync(id, "csv");
        Assert.Equal("a,b", csv.GetProperty("result").GetString());
        var control = csv.GetProperty("responseControl");
        Assert.Equal(201, control.GetProperty("statusCode").GetInt32());
        Assert.Equal("text/csv", control.GetProperty("contentType").GetString());
        Assert.Equal("1", control.GetProperty("headers").GetProperty("X-Test").GetString());
        Assert.Equal("out.csv", control.GetProperty("download").GetString());

        var away = (await RunAsync(id, "away")).GetProperty("responseControl");
        Assert.Equal(302, away.GetProperty("statusCode").GetInt32());
        Assert.Equal("https://example.org/a%20b", away.GetProperty("headers").GetProperty("Location").GetString());
        Assert.Equal("ValueError", (await RunAsync(id, "bad")).GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Run_HasRequestsCtxAndTaskContext_AndSrcNamesAMissingSource()
    {
        var id = await ScriptAsync("import requests\n\ndef env():\n    DFF.CTX['k'] = 1\n    return [requests.__version__, DFF.CTX['k'], _DFF_TASK_ID, _DFF_ORIGIN, _DFF_START_TIME_MS > 0]\n\n" +
            "def src():\n    return DFF.SRC('nowhere')\n");
        var result = (await RunAsync(id, "env")).GetProperty("result");
        Assert.False(string.IsNullOrEmpty(result[0].GetString()));
        Assert.Equal(1, result[1].GetInt32());
        Assert.StartsWith("task-", result[2].GetString());
        Assert.Equal("debug", result[3].GetString());
        Assert.True(result[4].GetBoolean());
        var error = (await RunAsync(id, "src")).GetProperty("error");
        Assert.Equal("LookupError", error.GetProperty("type").GetString());
        Assert.Contains("nowhere", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task DffCache_IsSharedAcrossRunsAndWorkers_WithTypesAndExpiry()
    {
        var id = await ScriptAsync(
            "def write():\n    c = DFF.CACHE\n    return [c.set('k', 1), c.set('k', 2, not_exists=True), c.incr('n'), c.incr('n', 5),\n" +
            "            c.hset('h', 'f', 'v'), c.lpush('l', 'a', 'b'), c.rpush('l', 'z'), c.set('short', 'x', expires=1),\n" +
            "            c.set('other', 'scoped', scope='elsewhere')]\n\n" +
            "def read():\n    c = DFF.CACHE\n    return [c.get('k'), c.get('n'), c.hgetall('h'), c.lrange('l'), c.ttl('k'), c.get('missing'),\n" +
            "            c.get('other'), c.get('other', scope='elsewhere'), c.keys('*')]\n\n" +
            "def wrong_type():\n    return DFF.CACHE.get('h')\n\ndef later():\n    return DFF.CACHE.get('short')\n");
        var written = (await RunAsync(id, "write")).GetProperty("result");
        Assert.Equal("[true,false,1,6,true,2,3,true,true]", written.GetRawText());
        var read = (await RunAsync(id, "read")).GetProperty("result");
        Assert.Equal("1", read[0].GetString());
        Assert.Equal("6", read[1].GetString());
        Assert.Equal("v", read[2].GetProperty("f").GetString());
        Assert.Equal(["b", "a", "z"], read[3].EnumerateArray().Select(v => v.GetString()!).ToArray());
        Assert.Equal(-1, read[4].GetInt32());
        Assert.Equal(JsonValueKind.Null, read[5].ValueKind);
        Assert.Equal(JsonValueKind.Null, read[6].ValueKind);
        Assert.Equal("scoped", read[7].GetString());
        Assert.Contains("short", read[8].EnumerateArray().Select(v => v.GetString()));
        var wrongType = (await RunAsync(id, "wrong_type")).GetProperty("error");
        Assert.Equal("LookupError", wrongType.GetProperty("type").GetString());
        Assert.Contains("does not hold a string", wrongType.GetProperty("message").GetString());
        await Task.Delay(1100);
        Assert.Equal(JsonValueKind.Null, (await RunAsync(id, "later")).GetProperty("result").ValueKind);
    }
}
