using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Hosting;

/// <summary>Acknowledged asynchronous calls survive a kill -9 of the server.</summary>
public sealed class QueuedTaskTests
{
    [Fact]
    public async Task QueuedBatchCalls_AfterKillDashNine_AllRunAfterTheRestart()
    {
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("queue"));
        Dictionary<string, string> EnvironmentOf(TestServer.Settings s)
        {
            var environment = s.ToEnvironment();
            environment["OrleansFunc__Engine__TaskLease"] = "00:00:02";
            return environment;
        }
        var taskIds = new List<string>();
        string token;
        await using (var server = await TestServer.StartAsync(settings, EnvironmentOf(settings)))
        {
            token = await server.SetUpAndSignInAsync();
            (await server.PostAsync("/api/v1/script-sets", new { id = "q" }, token)).AssertOk();
            (await server.PostAsync("/api/v1/scripts", new { id = "q__main", codeDraft = "import time\n\n@DFF.API('Slow')\ndef slow(n=0):\n    time.sleep(1)\n    return n\n" }, token)).AssertOk();
            (await server.PostAsync("/api/v1/scripts/q__main/publish", null, token)).AssertOk();
            (await server.PostAsync("/api/v1/batches", new { id = "slow", funcId = "q__main.slow" }, token)).AssertOk();
            for (var n = 0; n < 4; n++)
            {
                // One batch worker and a second a task: most are still queued when the server dies.
                taskIds.Add((await server.PostAsync("/api/v1/bat/slow", new { kwargs = new { n }, options = new { timeout = 5 } })).AssertOk()
                    .GetProperty("taskId").GetString()!);
            }
            await server.Process.KillAsync();
        }

        var again = settings with { HttpPort = HostProcess.FreePort() };
        await using var restarted = await TestServer.StartAsync(again, EnvironmentOf(again));
        for (var n = 0; n < taskIds.Count; n++)
        {
            var task = await restarted.WaitForTaskAsync(taskIds[n], TimeSpan.FromSeconds(60));
            Assert.Equal("success", task.GetProperty("status").GetString());
            Assert.Equal(n, task.GetProperty("result").GetInt32());
        }
    }
}
