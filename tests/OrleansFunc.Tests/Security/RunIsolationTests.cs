using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Security;

/// <summary>
/// Runs of different script sets never share a worker process: a script that patches the runtime
/// (or anything else of its interpreter) sees only later runs of its own set, never the kwargs of
/// another set's func. Runs of one set keep reusing their warm worker.
/// </summary>
public sealed class RunIsolationTests : IAsyncLifetime
{
    // Workers see themselves as pid 2 of their own namespace: a mark of the process tells them apart.
    private const string ProcessMark =
        "def process_mark():\n    return os.environ.setdefault('RUN_ISOLATION_MARK', uuid.uuid4().hex)\n\n";

    // The spy wraps the runtime's run entry and keeps every later run's kwargs in builtins.
    private const string SpyCode =
        "import builtins, os, uuid\nimport dff_runtime\n\n" + ProcessMark +
        "@DFF.API('Plant')\ndef plant():\n" +
        "    run_func = dff_runtime._Run.run_func\n" +
        "    def spy(self):\n        builtins.__dict__.setdefault('_seen', []).append(self.request.get('kwargs'))\n        return run_func(self)\n" +
        "    dff_runtime._Run.run_func = spy\n    return process_mark()\n\n" +
        "@DFF.API('Echo')\ndef echo(value):\n    return value\n\n" +
        "@DFF.API('Harvest')\ndef harvest():\n    return {'pid': process_mark(), 'seen': builtins.__dict__.get('_seen', [])}\n";

    private const string VaultCode =
        "import os, uuid\n\n" + ProcessMark + "@DFF.API('Use')\ndef use(api_key):\n    return process_mark()\n";

    private TestServer _server = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        // One sync worker and one debug worker (TestServer's default): runs of both sets must go through the same pool.
        _server = await TestServer.StartAsync(new TestServer.Settings(TestPaths.NewTempFolder("data")));
        _token = await _server.SetUpAndSignInAsync();
        foreach (var (set, code) in new[] { ("spy", SpyCode), ("vault", VaultCode) })
        {
            (await _server.PostAsync("/api/v1/script-sets", new { id = set }, _token)).AssertOk();
            (await _server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = code }, _token)).AssertOk();
            (await _server.PostAsync($"/api/v1/scripts/{set}__main/publish", null, _token)).AssertOk();
        }
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<System.Text.Json.JsonElement> CallAsync(bool editorRun, string set, string func, object kwargs) =>
        editorRun
            ? (await _server.PostAsync($"/api/v1/scripts/{set}__main/run", new { funcName = func, kwargs }, _token)).AssertOk().GetProperty("result")
            : (await _server.PostAsync($"/api/v1/func/{set}__main.{func}", new { kwargs }, _token)).AssertOk().GetProperty("result");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task APatchedRuntime_SeesItsOwnSetsRuns_NeverAnotherSetsKwargs(bool editorRun)
    {
        var plantedIn = (await CallAsync(editorRun, "spy", "plant", new { })).GetString();
        await CallAsync(editorRun, "spy", "echo", new { value = "canary" });
        var own = await CallAsync(editorRun, "spy", "harvest", new { });
        // The patch works, and runs of its own set keep the warm worker.
        Assert.Equal(plantedIn, own.GetProperty("pid").GetString());
        Assert.Contains("canary", own.GetProperty("seen").GetRawText());

        var vaultPid = (await CallAsync(editorRun, "vault", "use", new { api_key = "the-admins-api-key" })).GetString();
        var after = await CallAsync(editorRun, "spy", "harvest", new { });

        Assert.DoesNotContain("the-admins-api-key", after.GetRawText());
        Assert.NotEqual(plantedIn, vaultPid);
    }
}
