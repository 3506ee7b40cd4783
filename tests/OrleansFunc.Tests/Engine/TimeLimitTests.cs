using System.Text.Json;
using OrleansFunc.Engine;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>
/// The time limit raised inside Python when runs of different limits follow one another on one
/// worker (the runtime keeps its interval timer across runs and sets it again only when needed).
/// </summary>
public sealed class TimeLimitTests : IAsyncLifetime
{
    private const string Code =
        "import os, time\n\n" +
        "def nap(seconds):\n    time.sleep(seconds)\n    return os.getpid()\n\n" +
        "def spin():\n    while True:\n        pass\n";

    private PythonEngine _engine = null!;

    public async Task InitializeAsync()
    {
        _engine = await TestEngines.StartAsync("time-limits", options => options.Engine.HardKillGrace = TimeSpan.FromSeconds(5));
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private Task<FuncRunResult> Run(string func, object kwargs, int timeoutSeconds, CancellationToken cancellationToken = default) =>
        _engine.RunAsync(new FuncRunRequest(Lane.Debug, RunMode.Run, "limits__test", Code, "limits-md5", func,
            JsonSerializer.Serialize(kwargs), timeoutSeconds, TestEngines.NoContext), TestEngines.NoCallbacks, cancellationToken);

    [Fact]
    public async Task ARunWithALongerLimit_OutlivesTheShorterLimitOfTheRunBefore()
    {
        var quick = await Run("nap", new { seconds = 0 }, timeoutSeconds: 1);
        var longer = await Run("nap", new { seconds = 1.5 }, timeoutSeconds: 5);

        Assert.True(quick.IsSuccess, quick.Error?.Message);
        Assert.True(longer.IsSuccess, longer.Error?.Message);
        Assert.Equal(quick.ResultJson, longer.ResultJson);
    }

    [Fact]
    public async Task ARunWithAShorterLimit_IsStoppedInsidePython_AfterARunWithALongerOne()
    {
        var first = await Run("nap", new { seconds = 0 }, timeoutSeconds: 30);
        var spun = await Run("spin", new { }, timeoutSeconds: 1);
        var after = await Run("nap", new { seconds = 0 }, timeoutSeconds: 30);

        Assert.Equal(FuncRunStatus.Timeout, spun.Status);
        // Raised by the runtime (the worker killed at the limit plus the grace would say so instead).
        Assert.Equal("Func ran past its time limit", spun.Error!.Message);
        Assert.Equal(first.ResultJson, after.ResultJson);
    }

    [Fact]
    public async Task ACancelledRun_FailsAsCancelled_NotAsACrash()
    {
        using var caller = new CancellationTokenSource();
        var running = Run("nap", new { seconds = 60 }, timeoutSeconds: 120, caller.Token);
        // Cancelled once the worker runs it: then the worker is killed, and the run must say why.
        await Eventually.HoldsAsync("the debug lane's worker to take the run",
            async () => (await _engine.StatusAsync()).Single(p => p.Lane == "debug").Busy > 0);
        await caller.CancelAsync();

        var cancelled = await running;

        Assert.Equal("FuncCancelled", cancelled.Error?.Type);
        Assert.Equal(KillReason.Cancelled, cancelled.KillReason);
    }
}
