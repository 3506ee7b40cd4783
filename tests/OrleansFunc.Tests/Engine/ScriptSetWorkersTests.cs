using OrleansFunc.Engine;
using OrleansFunc.Hosting;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>
/// Workers belong to one script set (RunIsolation.ScriptSet): with more sets than workers, runs of
/// every set still get a worker (one of another set is replaced for them, first come first served),
/// and no worker process ever runs two sets' code. Data source runs, which execute no script, take any worker.
/// </summary>
public sealed class ScriptSetWorkersTests : IAsyncLifetime
{
    // A mark per process, and the sets whose code it ran.
    private const string Code =
        "import os, uuid, builtins\n\n" +
        "def mark(n):\n" +
        "    ran = builtins.__dict__.setdefault('_sets_ran', set())\n    ran.add(__name__.split('__')[0])\n" +
        "    return {'process': os.environ.setdefault('SET_WORKERS_MARK', uuid.uuid4().hex), 'sets': sorted(ran), 'n': n}\n\n" +
        "def timed(n):\n    import time\n    started = time.monotonic()\n    time.sleep(0.05)\n" +
        "    return dict(mark(n), started=started, ended=time.monotonic())\n";

    private PythonEngine _engine = null!;

    public async Task InitializeAsync() =>
        _engine = await TestEngines.StartAsync("set-workers", options =>
        {
            options.Engine.Lanes[Lane.Sync] = new LaneSettings { Workers = 2, DefaultTimeoutSeconds = 30, RunsQueuedPerWorker = 3 };
        });

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private Task<FuncRunResult> Run(string set, int n) => Run(_engine, set, n, "mark");

    private static Task<FuncRunResult> Run(PythonEngine engine, string set, int n, string func) =>
        engine.RunAsync(new FuncRunRequest(Lane.Sync, RunMode.Run, $"{set}__main", Code, $"{set}-md5", func, $"{{\"n\": {n}}}", 30,
            TestEngines.NoContext), TestEngines.NoCallbacks);

    [Fact]
    public async Task MoreSetsThanWorkers_EveryRunIsAnswered_NoProcessRunsTwoSets()
    {
        string[] sets = ["alpha", "beta", "gamma"];
        var results = await Task.WhenAll(Enumerable.Range(0, 45).Select(n => Run(sets[n % 3], n)));

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        var runs = results.Select(r => System.Text.Json.JsonDocument.Parse(r.ResultJson!).RootElement).ToList();
        Assert.Equal(Enumerable.Range(0, 45), runs.Select(r => r.GetProperty("n").GetInt32()));
        Assert.All(runs, r => Assert.Equal(1, r.GetProperty("sets").GetArrayLength()));
        Assert.All(runs.GroupBy(r => r.GetProperty("process").GetString()),
            process => Assert.Single(process.Select(r => r.GetProperty("sets")[0].GetString()).Distinct()));
    }

    [Fact]
    public async Task RunsOfOneSet_KeepTheirWarmWorkers()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(n => Run("alpha", n)));
        var again = await Task.WhenAll(Enumerable.Range(0, 40).Select(n => Run("alpha", n)));

        var processes = results.Concat(again)
            .Select(r => System.Text.Json.JsonDocument.Parse(r.ResultJson!).RootElement.GetProperty("process").GetString())
            .Distinct();
        Assert.InRange(processes.Count(), 1, 2);
    }

    /// <summary>
    /// A lane of one worker keeps a warm worker for a second set (LaneSettings.WarmWorkers): two sets
    /// taking turns each keep their own process, and the lane still runs one run at a time.
    /// </summary>
    [Fact]
    public async Task TwoSetsTakingTurns_OnALaneOfOne_KeepAWarmWorkerEach_AndRunOneAtATime()
    {
        await using var engine = await TestEngines.StartAsync("set-workers-warm", options =>
        {
            options.Engine.Lanes[Lane.Sync] = new LaneSettings { Workers = 1, WarmWorkers = 1, DefaultTimeoutSeconds = 30, RunsQueuedPerWorker = 3 };
        });

        var results = new List<FuncRunResult>();
        for (var round = 0; round < 3; round++)
        {
            results.AddRange(await Task.WhenAll(Enumerable.Range(0, 10).Select(n => Run(engine, n % 2 == 0 ? "alpha" : "beta", n, "timed"))));
        }

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        var runs = results.Select(r => System.Text.Json.JsonDocument.Parse(r.ResultJson!).RootElement).ToList();
        var processes = runs.GroupBy(r => r.GetProperty("process").GetString()).ToList();
        Assert.Equal(2, processes.Count);
        Assert.All(processes, process => Assert.Single(process.Select(r => r.GetProperty("sets")[0].GetString()).Distinct()));
        var intervals = runs.Select(r => (Start: r.GetProperty("started").GetDouble(), End: r.GetProperty("ended").GetDouble())).OrderBy(i => i.Start).ToList();
        Assert.All(intervals.Zip(intervals.Skip(1)), pair => Assert.True(pair.First.End <= pair.Second.Start, "two runs of the lane overlapped"));
    }
}
