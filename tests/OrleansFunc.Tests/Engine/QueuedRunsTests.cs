using System.Text.Json;
using OrleansFunc.Engine;
using OrleansFunc.Hosting;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>
/// Runs sent ahead to a busy worker (LaneSettings.RunsQueuedPerWorker): answered in order, with
/// callbacks of the run in progress, and handed to a fresh worker untouched when the run ahead of
/// them takes the worker down.
/// </summary>
public sealed class QueuedRunsTests : IAsyncLifetime
{
    private const string Code =
        "import os\n\n" +
        "def echo(n):\n    return n\n\n" +
        "def crash():\n    os._exit(1)\n\n" +
        "def hang():\n    while True:\n        try:\n            while True:\n                pass\n        except BaseException:\n            pass\n\n" +
        "def env(n):\n    return DFF.ENV('var-%d' % n)\n";

    private PythonEngine _engine = null!;

    public async Task InitializeAsync()
    {
        _engine = await TestEngines.StartAsync("queued-runs", options =>
        {
            options.Engine.HardKillGrace = TimeSpan.FromMilliseconds(500);
            options.Engine.Lanes[Lane.Sync].RunsQueuedPerWorker = 3;
        });
        Assert.True((await Run("echo", "{\"n\": 0}")).IsSuccess);
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private Task<FuncRunResult> Run(string func, string kwargs, int timeoutSeconds = 30) =>
        _engine.RunAsync(new FuncRunRequest(Lane.Sync, RunMode.Run, "queued__test", Code, "queued-md5", func, kwargs, timeoutSeconds,
            TestEngines.NoContext), TestEngines.Answering(Callbacks));

    /// <summary>Every env variable's value is its own ID, answered after a short while (so runs queue meanwhile).</summary>
    private static async Task<string> Callbacks(string name, JsonElement args)
    {
        Assert.Equal("getEnvVariable", name);
        await Task.Delay(Random.Shared.Next(3));
        return JsonSerializer.Serialize(new { value = args.GetProperty("id").GetString(), autoTypeCasting = "string" });
    }

    [Fact]
    public async Task ManyConcurrentRuns_OnOneWorker_AreAnsweredEachWithItsOwnResult()
    {
        var runs = Enumerable.Range(1, 200).Select(n => Run("echo", $"{{\"n\": {n}}}")).ToList();
        var results = await Task.WhenAll(runs);
        Assert.Equal(Enumerable.Range(1, 200).Select(n => n.ToString()), results.Select(r => r.ResultJson));
    }

    [Fact]
    public async Task QueuedRuns_WithCallbacks_GetTheirOwnReplies()
    {
        var results = await Task.WhenAll(Enumerable.Range(1, 40).Select(n => Run("env", $"{{\"n\": {n}}}")));
        Assert.Equal(Enumerable.Range(1, 40).Select(n => $"\"var-{n}\""), results.Select(r => r.ResultJson));
    }

    [Fact]
    public async Task RunsQueuedBehindACrash_RunOnTheNextWorker()
    {
        // Sent together: the echoes are queued on the worker behind the crash.
        var crash = Run("crash", "{}");
        var behind = Enumerable.Range(1, 3).Select(n => Run("echo", $"{{\"n\": {n}}}")).ToList();
        var crashed = await crash;
        Assert.Equal("WorkerCrashed", crashed.Error?.Type);
        var results = await Task.WhenAll(behind);
        Assert.Equal(["1", "2", "3"], results.Select(r => r.ResultJson));
    }

    [Fact]
    public async Task RunsQueuedBehindARunaway_RunAfterItIsKilled()
    {
        var hang = Run("hang", "{}", timeoutSeconds: 1);
        var behind = Enumerable.Range(1, 3).Select(n => Run("echo", $"{{\"n\": {n}}}")).ToList();
        var stopped = await hang;
        Assert.Equal(FuncRunStatus.Timeout, stopped.Status);
        var results = await Task.WhenAll(behind);
        Assert.Equal(["1", "2", "3"], results.Select(r => r.ResultJson));
    }
}
