using OrleansFunc.Engine;
using OrleansFunc.Hosting;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>
/// A worker that served its quota of runs is replaced without a gap: it keeps serving while its successor starts, so a
/// lane of one worker never stands without one (before, every quota stalled the lane for a worker's start).
/// </summary>
public sealed class WorkerHandoverTests : IAsyncLifetime
{
    private const int Quota = 20;

    private PythonEngine _engine = null!;

    public async Task InitializeAsync()
    {
        _engine = await TestEngines.StartAsync("handover", options =>
        {
            options.Engine.MaxRunsPerWorker = Quota;
            options.Engine.Lanes[Lane.Sync].Workers = 1;
            options.Engine.Lanes[Lane.Sync].RunsQueuedPerWorker = 0;
        });
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private FuncRunRequest Request() =>
        new(Lane.Sync, RunMode.Run, "handover__test", WorkerProcesses.HomeFunc, "handover-md5", "home", "{}", 30, TestEngines.NoContext);

    [Fact]
    public async Task AWorkerAtItsQuota_ServesUntilItsSuccessorIsReady()
    {
        var first = await _engine.RunAsync(Request(), TestEngines.NoCallbacks);
        Assert.True(first.IsSuccess, first.Error?.Message);
        // Each worker has a home folder of its own: which one ran a run.
        var served = new List<string> { first.ResultJson! };
        // One run after another, each taking only a worker that is free now: none may find the lane without one.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (served[^1] == served[0] && DateTime.UtcNow < deadline)
        {
            var run = await _engine.TryRunNowAsync(Request(), TestEngines.NoCallbacks);
            Assert.True(run is not null, $"run {served.Count + 1} found no worker free: the lane stood without one while its worker was replaced");
            Assert.True(run.IsSuccess, run.Error?.Message);
            served.Add(run.ResultJson!);
        }
        Assert.NotEqual(served[0], served[^1]);
        // The first worker went on past its quota (less a tenth, so that workers started together retire apart) while the
        // successor started, and the successor served from then on.
        var byFirst = served.TakeWhile(mark => mark == served[0]).Count();
        Assert.InRange(byFirst, Quota - Quota / 10, int.MaxValue);
        var afterwards = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            afterwards.Add((await _engine.RunAsync(Request(), TestEngines.NoCallbacks)).ResultJson!);
        }
        Assert.All(afterwards, mark => Assert.Equal(served[^1], mark));
    }
}
