using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Crontabs;

/// <summary>Crontab firing across a crash of the only server (slow: tagged Cron).</summary>
[Trait("Category", "Cron")]
public sealed class CrontabRestartTests
{
    /// <summary>
    /// Two configs of every minute; the server is killed and stays down while the second minute passes. Neither repeats a
    /// minute; the missed one is a task record <c>missed</c> of both; the config with <c>missedRuns: runOnce</c> also runs
    /// once at start-up for it (issue 25.2), the other skips it as DataFlux Func does.
    /// </summary>
    [Fact]
    public async Task KillDashNineAndRestart_NeitherRepeatsAMinute_RecordsTheMissedOne_AndRunOnceCatchesUp()
    {
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("cron-restart"));
        var output = CronFiringScript.NewOutputFolder();
        var skipFile = Path.Combine(output, "every");
        var catchUpFile = Path.Combine(output, "catchup");
        DateTimeOffset first;
        string token;
        await using (var server = await TestServer.StartAsync(settings))
        {
            token = await server.SetUpAndSignInAsync();
            var script = await CronFiringScript.PublishAsync(server, token);
            await MinuteClock.WaitForSecondOfMinuteAsync(3, 40);
            first = MinuteClock.NextMinute(DateTimeOffset.UtcNow);
            (await server.PostAsync("/api/v1/crontab-configs",
                new { id = "every", funcId = $"{script}.record", crontab = "* * * * *", funcCallKwargs = new { path = skipFile } }, token)).AssertOk();
            var catchUp = (await server.PostAsync("/api/v1/crontab-configs",
                new { id = "catchup", funcId = $"{script}.record", crontab = "* * * * *", funcCallKwargs = new { path = catchUpFile }, missedRuns = "runOnce" },
                token)).AssertOk();
            Assert.Equal("runOnce", catchUp.GetProperty("missedRuns").GetString());
            await MinuteClock.WaitUntilAsync(first.AddSeconds(15));
            Assert.Equal([(first, 0)], CronFiringScript.Executions(skipFile));
            Assert.Equal([(first, 0)], CronFiringScript.Executions(catchUpFile));
            await server.Process.KillAsync();
        }

        // The server is down while the second minute passes.
        var second = first.AddMinutes(1);
        await MinuteClock.WaitUntilAsync(first.AddSeconds(65));
        await using var restarted = await TestServer.StartAsync(settings with { HttpPort = HostProcess.FreePort() });
        var third = first.AddMinutes(2);
        Assert.True(DateTimeOffset.UtcNow < third.AddSeconds(-5), "the restart took too long for this test's timeline");
        await MinuteClock.WaitUntilAsync(third.AddSeconds(15));

        Assert.Equal([(first, 0), (third, 0)], CronFiringScript.Executions(skipFile));
        var records = (await restarted.GetAsync("/api/v1/task-records?origin=crontab&originId=every", token)).AssertOk().EnumerateArray()
            .ToDictionary(r => r.GetProperty("triggerTime").GetDateTimeOffset(), r => r.GetProperty("status").GetString());
        Assert.Equal(new Dictionary<DateTimeOffset, string?> { [first] = "success", [second] = "missed", [third] = "success" }, records);

        // The catch-up ran once, after the restart and before the third minute.
        var caughtUp = CronFiringScript.Executions(catchUpFile);
        Assert.Equal(3, caughtUp.Count);
        Assert.Equal(first, caughtUp[0].Minute);
        Assert.InRange(caughtUp[1].Minute, second, third);
        Assert.Equal(third, caughtUp[2].Minute);
        var catchUpRecords = (await restarted.GetAsync("/api/v1/task-records?origin=crontab&originId=catchup", token)).AssertOk().EnumerateArray().ToList();
        Assert.Equal(["missed", "success", "success", "success"], catchUpRecords.Select(r => r.GetProperty("status").GetString()!).Order().ToArray());
        Assert.Contains(catchUpRecords, r => r.GetProperty("id").GetString()!.StartsWith("cron-catchup@catch-up-", StringComparison.Ordinal));
    }
}
