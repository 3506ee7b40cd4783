using System.Diagnostics;
using OrleansFunc.Engine;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>The engine's lanes have their own workers: a slow editor run never delays the sync lane (SPEC S5).</summary>
public sealed class LaneIsolationTests
{
    private const string Code = "import time\n\ndef slow():\n    time.sleep(5)\n    return 'slow'\n\ndef quick():\n    return 'quick'\n";

    private static FuncRunRequest Request(Lane lane, string func) =>
        new(lane, RunMode.Run, "lanes__test", Code, "lanes-md5", func, "{}", 30, TestEngines.NoContext);

    [Fact]
    public async Task SlowDebugRuns_DoNotDelaySyncRuns()
    {
        await using var engine = await TestEngines.StartAsync("lanes");
        Assert.True((await engine.RunAsync(Request(Lane.Sync, "quick"), TestEngines.NoCallbacks)).IsSuccess);

        var slowRuns = Enumerable.Range(0, 2).Select(_ => engine.RunAsync(Request(Lane.Debug, "slow"), TestEngines.NoCallbacks)).ToList();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            var quick = await engine.RunAsync(Request(Lane.Sync, "quick"), TestEngines.NoCallbacks);
            Assert.Equal("\"quick\"", quick.ResultJson);
        }
        var syncTime = clock.Elapsed;
        Assert.False(slowRuns.Any(run => run.IsCompleted), "the slow debug runs ended before the sync runs were timed");
        Assert.True(syncTime < TimeSpan.FromSeconds(3), $"20 sync runs took {syncTime} while the debug lane was busy");
        Assert.All(await Task.WhenAll(slowRuns), run => Assert.Equal("\"slow\"", run.ResultJson));
    }
}
