using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>
/// Named worker pools for DataFlux Func 1.x's <c>DFF.API(queue=...)</c> (issue 22): a func whose queue names a pool runs
/// there from every origin, so a heavy func cannot take the lanes' workers; a queue naming no pool runs on the lane and
/// says so at publish.
/// </summary>
public sealed class WorkerPoolsTests
{
    /// <summary>Each func answers which worker process ran it (a mark the process keeps across runs; PIDs are a sandbox's own).</summary>
    private const string Code = """
        import sys, time, types, uuid

        def worker():
            mark = sys.modules.setdefault('_test_worker_mark', types.ModuleType('_test_worker_mark'))
            if not hasattr(mark, 'id'):
                mark.id = uuid.uuid4().hex
            return mark.id

        @DFF.API('Heavy', queue=9, timeout=60)
        def heavy(seconds=0):
            time.sleep(seconds)
            return worker()

        @DFF.API('Light')
        def light():
            return worker()

        @DFF.API('Lost', queue='nope')
        def lost():
            return worker()
        """;

    [Fact]
    public async Task AFuncOfANamedPool_RunsThereFromEveryOrigin_AndLeavesTheLaneFree()
    {
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("data"), await TestPostgres.CreateDatabaseAsync());
        var environment = new Dictionary<string, string>(settings.ToEnvironment())
        {
            ["OrleansFunc__Engine__Pools__heavy__Workers"] = "1",
            ["OrleansFunc__Engine__Pools__heavy__Queues__0"] = "9",
            ["OrleansFunc__Engine__Pools__heavy__Queues__1"] = "cpu",
        };
        await using var server = await TestServer.StartAsync(settings, environment);
        var token = await server.SetUpAndSignInAsync();
        (await server.PostAsync("/api/v1/script-sets", new { id = "pools" }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts", new { id = "pools__main", codeDraft = Code }, token)).AssertOk();
        var published = (await server.PostAsync("/api/v1/scripts/pools__main/publish", null, token)).AssertOk();
        var warning = Assert.Single(published.GetProperty("warnings").EnumerateArray()).GetString()!;
        Assert.StartsWith("lost: queue nope names no worker pool", warning);

        // The heavy func holds the pool's only worker; the sync lane's only worker still answers the light one.
        var heavyCall = server.PostAsync("/api/v1/func/pools__main.heavy", new { kwargs = new { seconds = 8 } }, token);
        await Eventually.HoldsAsync("the heavy func running in its pool", async () => await BusyAsync(server, token, "heavy") == 1);
        Assert.Equal(0, await BusyAsync(server, token, "sync"));
        var light = (await server.PostAsync("/api/v1/func/pools__main.light", new { kwargs = new { } }, token)).AssertOk().GetProperty("result").GetString();
        Assert.False(heavyCall.IsCompleted, "the light call waited for the heavy one");
        var heavyWorker = (await heavyCall).AssertOk().GetProperty("result").GetString();
        Assert.NotEqual(light, heavyWorker);

        // A batch of the heavy func runs in the pool too; the func whose queue names nothing runs on the lane.
        (await server.PostAsync("/api/v1/batches", new { id = "heavy-bat", funcId = "pools__main.heavy" }, token)).AssertOk();
        var taskId = (await server.PostAsync("/api/v1/bat/heavy-bat", new { })).AssertOk().GetProperty("taskId").GetString()!;
        Assert.Equal(heavyWorker, (await server.WaitForTaskAsync(taskId, TimeSpan.FromSeconds(60), token)).GetProperty("result").GetString());
        Assert.Equal(light, (await server.PostAsync("/api/v1/func/pools__main.lost", new { kwargs = new { } }, token)).AssertOk().GetProperty("result").GetString());
    }

    private static async Task<int> BusyAsync(TestServer server, string token, string pool) =>
        (await server.GetAsync("/api/v1/overview", token)).AssertOk().GetProperty("workerPools").EnumerateArray()
            .SelectMany(h => h.GetProperty("pools").EnumerateArray())
            .Where(p => p.GetProperty("lane").GetString() == pool)
            .Sum(p => p.GetProperty("busy").GetInt32());
}
