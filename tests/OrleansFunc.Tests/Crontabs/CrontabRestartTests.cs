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
        // The first minute the restarted server watches from the start: usually the third. A slow start (a busy machine,
        // the embedded database recovering from the kill: CI of 2026-12-07 beside a build took more than the 50 s left)
        // moves it on, and each minute that passed while the server started was either run or recorded as missed.
        var third = MinuteClock.NextMinute(DateTimeOffset.UtcNow.AddSeconds(5));
        var starting = Enumerable.Range(1, (int)(third - second).TotalMinutes - 1).Select(i => second.AddMinutes(i)).ToHashSet();
        await MinuteClock.WaitUntilAsync(third.AddSeconds(15));

        var every = CronFiringScript.Executions(skipFile);
        Assert.Equal(every.Count, every.Select(e => e.Minute).Distinct().Count());
        Assert.Equal([(first, 0), (third, 0)], every.Where(e => !starting.Contains(e.Minute)));
        var records = (await restarted.GetAsync("/api/v1/task-records?origin=crontab&originId=every", token)).AssertOk().EnumerateArray()
            .ToDictionary(r => r.GetProperty("triggerTime").GetDateTimeOffset(), r => r.GetProperty("status").GetString()!);
        AssertScheduledRecords(records, first, second, third, starting);

        // The catch-up ran once, after the restart and before the third minute, for a missed minute.
        var catchUpRecords = (await restarted.GetAsync("/api/v1/task-records?origin=crontab&originId=catchup", token)).AssertOk().EnumerateArray().ToList();
        var catchUpRun = Assert.Single(catchUpRecords, r => r.GetProperty("id").GetString()!.StartsWith("cron-catchup@catch-up-", StringComparison.Ordinal));
        Assert.Equal("success", catchUpRun.GetProperty("status").GetString());
        var scheduled = catchUpRecords.Where(r => r.GetProperty("id").GetString() != catchUpRun.GetProperty("id").GetString())
            .ToDictionary(r => r.GetProperty("triggerTime").GetDateTimeOffset(), r => r.GetProperty("status").GetString()!);
        AssertScheduledRecords(scheduled, first, second, third, starting);
        var ranOnTime = scheduled.Where(r => r.Value == "success").Select(r => r.Key).ToHashSet();
        var caughtUp = CronFiringScript.Executions(catchUpFile);
        Assert.Equal(ranOnTime.Count + 1, caughtUp.Count);
        Assert.Equal(first, caughtUp[0].Minute);
        Assert.Equal(third, caughtUp[^1].Minute);
        Assert.InRange(Assert.Single(caughtUp, e => !ranOnTime.Contains(e.Minute)).Minute, second, third);
    }

    /// <summary>One record a minute: the first and third ran, the second was missed, each minute of the start either.</summary>
    private static void AssertScheduledRecords(Dictionary<DateTimeOffset, string> records, DateTimeOffset first, DateTimeOffset second,
        DateTimeOffset third, IReadOnlySet<DateTimeOffset> starting)
    {
        Assert.Equal(new Dictionary<DateTimeOffset, string> { [first] = "success", [second] = "missed", [third] = "success" },
            records.Where(r => !starting.Contains(r.Key)).ToDictionary());
        Assert.All(starting, minute => Assert.True(records.TryGetValue(minute, out var status) && (status is "missed" or "success"), $"{minute}: {status}"));
    }
}
