using System.Text.Json;
using OrleansFunc.Engine;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>
/// LaneSettings.PinWorkersToCpus: each worker of a pinning lane is bound to its own CPU (spread over
/// the CPUs the host may use), a replaced worker to its predecessor's; other lanes are left free.
/// </summary>
public sealed class WorkerCpuPinningTests
{
    // The sleep keeps the first run busy, so the second one goes to the other, idle worker.
    private const string Code =
        "import os, time\n\n" +
        "def where():\n    time.sleep(0.2)\n    return [os.getpid(), sorted(os.sched_getaffinity(0))]\n\n" +
        "def crash():\n    os._exit(1)\n";

    private static async Task<FuncRunResult> Run(PythonEngine engine, Lane lane, string func) =>
        await engine.RunAsync(new FuncRunRequest(lane, "run", "pinning__test", Code, "pinning-md5", func, "{}", 30,
            new Dictionary<string, string>()), TestEngines.NoCallbacks);

    /// <summary>Worker process ID → the CPUs it may run on, from two runs at once on the sync lane.</summary>
    private static async Task<Dictionary<int, int[]>> SyncWorkers(PythonEngine engine)
    {
        var results = await Task.WhenAll(Run(engine, Lane.Sync, "where"), Run(engine, Lane.Sync, "where"));
        var workers = new Dictionary<int, int[]>();
        foreach (var result in results)
        {
            Assert.True(result.IsSuccess, result.Error?.Message);
            using var answer = JsonDocument.Parse(result.ResultJson!);
            workers[answer.RootElement[0].GetInt32()] = [.. answer.RootElement[1].EnumerateArray().Select(cpu => cpu.GetInt32())];
        }
        return workers;
    }

    [Fact]
    public async Task SyncWorkers_EachGetACpuOfTheirOwn_KeptByAReplacement_WhileOtherLanesStayFree()
    {
        var allowed = AllowedCpus.Read();
        Assert.NotEmpty(allowed);
        await using var engine = await TestEngines.StartAsync("cpu-pinning", options =>
        {
            options.Engine.Lanes[Lane.Sync].Workers = 2;
            options.Engine.Lanes[Lane.Sync].PinWorkersToCpus = true;
        });

        var before = await SyncWorkers(engine);
        Assert.Equal(2, before.Count);
        if (allowed.Count >= 2)
        {
            Assert.All(before.Values, cpus => Assert.Single(cpus));
            Assert.All(before.Values, cpus => Assert.Contains(cpus[0], allowed));
            Assert.NotEqual(before.Values.First()[0], before.Values.Last()[0]);
        }
        else
        {
            // A single CPU: nothing to spread over, the workers are not bound.
            Assert.All(before.Values, cpus => Assert.Equal(allowed, cpus));
        }

        var crashed = await Run(engine, Lane.Sync, "crash");
        Assert.Equal("WorkerCrashed", crashed.Error?.Type);
        Dictionary<int, int[]> after;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            after = await SyncWorkers(engine);
        }
        while (!(after.Count == 2 && after.Keys.Intersect(before.Keys).Count() == 1) && DateTime.UtcNow < deadline);

        Assert.Equal(2, after.Count);
        Assert.Single(after.Keys.Intersect(before.Keys));
        Assert.Equal(before.Values.Select(c => string.Join(",", c)).Order(), after.Values.Select(c => string.Join(",", c)).Order());

        var debug = await Run(engine, Lane.Debug, "where");
        using var debugAnswer = JsonDocument.Parse(debug.ResultJson!);
        Assert.Equal(allowed, debugAnswer.RootElement[1].EnumerateArray().Select(cpu => cpu.GetInt32()));
    }

    [Theory]
    [InlineData("0", new[] { 0 })]
    [InlineData("0-3", new[] { 0, 1, 2, 3 })]
    [InlineData(" 0-1,4,6-7\n", new[] { 0, 1, 4, 6, 7 })]
    public void AKernelCpuList_IsRead(string list, int[] cpus) => Assert.Equal(cpus, AllowedCpus.Parse(list));
}
