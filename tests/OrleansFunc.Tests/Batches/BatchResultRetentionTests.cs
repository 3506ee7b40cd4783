using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Batches;

/// <summary>
/// Retention never takes a batch result its caller has not had time to fetch (issue 23): a burst of calls past the
/// per-origin count limit, then a restart (retention runs at start), and every result is still answered.
/// </summary>
public sealed class BatchResultRetentionTests
{
    [Fact]
    public async Task ABurstPastTheCountLimit_KeepsEveryResultFetchable_AfterTheRetentionRound()
    {
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("data"), await TestPostgres.CreateDatabaseAsync());
        var environment = new Dictionary<string, string>(settings.ToEnvironment()) { ["OrleansFunc__Engine__TaskRecordsPerOrigin"] = "10" };
        var taskIds = new List<string>();
        await using (var server = await TestServer.StartAsync(settings, environment))
        {
            var token = await server.SetUpAndSignInAsync();
            (await server.PostAsync("/api/v1/script-sets", new { id = "keep" }, token)).AssertOk();
            (await server.PostAsync("/api/v1/scripts", new { id = "keep__main", codeDraft = "@DFF.API('Echo')\ndef echo(n):\n    return n\n" }, token)).AssertOk();
            (await server.PostAsync("/api/v1/scripts/keep__main/publish", null, token)).AssertOk();
            (await server.PostAsync("/api/v1/batches", new { id = "echo", funcId = "keep__main.echo" }, token)).AssertOk();
            for (var n = 0; n < 25; n++)
            {
                taskIds.Add((await server.PostAsync("/api/v1/bat/echo", new { kwargs = new { n } })).AssertOk().GetProperty("taskId").GetString()!);
            }
            foreach (var taskId in taskIds)
            {
                await server.WaitForTaskAsync(taskId, TimeSpan.FromSeconds(60), token);
            }
            // Another origin past the limit, to see the retention round happen.
            (await server.PostAsync("/api/v1/crontab-configs", new { id = "yearly", funcId = "keep__main.echo", crontab = "0 0 1 1 *", funcCallKwargs = new { n = 0 } }, token)).AssertOk();
            for (var n = 0; n < 12; n++)
            {
                var run = (await server.PostAsync("/api/v1/crontab-configs/yearly/run", null, token)).AssertOk().GetProperty("taskId").GetString()!;
                await server.WaitForTaskAsync(run, TimeSpan.FromSeconds(60), token);
            }
        }

        environment["ORLEANSFUNC_HTTP_PORT"] = HostProcess.FreePort().ToString();
        await using var restarted = await TestServer.StartAsync(settings with { HttpPort = int.Parse(environment["ORLEANSFUNC_HTTP_PORT"]) }, environment);
        var token2 = await restarted.SignInAsync(TestServer.AdminUsername, TestServer.AdminPassword);
        await Eventually.HoldsAsync("the start's retention round to prune the crontab config's records to 10", async () =>
            (await restarted.GetAsync("/api/v1/task-records?origin=crontab&originId=yearly&pageSize=100", token2)).AssertOk().GetArrayLength() == 10);
        for (var n = 0; n < taskIds.Count; n++)
        {
            var result = (await restarted.GetAsync($"/api/v1/func-result?taskId={taskIds[n]}")).AssertOk();
            Assert.Equal(n, result.GetProperty("result").GetInt32());
        }
    }
}
