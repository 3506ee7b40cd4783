using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Crontabs;

/// <summary>Crontab firing across a crash of the only server (slow: tagged Cron).</summary>
[Trait("Category", "Cron")]
public sealed class CrontabRestartTests
{
    [Fact]
    public async Task KillDashNineAndRestart_NeitherRepeatsNorReplaysAMinute()
    {
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("cron-restart"));
        var output = CronFiringScript.NewOutputFolder();
        var file = Path.Combine(output, "every");
        DateTimeOffset first;
        string token;
        await using (var server = await TestServer.StartAsync(settings))
        {
            token = await server.SetUpAndSignInAsync();
            var script = await CronFiringScript.PublishAsync(server, token);
            await MinuteClock.WaitForSecondOfMinuteAsync(3, 40);
            first = MinuteClock.NextMinute(DateTimeOffset.UtcNow);
            (await server.PostAsync("/api/v1/crontab-configs",
                new { id = "every", funcId = $"{script}.record", crontab = "* * * * *", funcCallKwargs = new { path = file } }, token)).AssertOk();
            await MinuteClock.WaitUntilAsync(first.AddSeconds(15));
            Assert.Equal([(first, 0)], CronFiringScript.Executions(file));
            await server.Process.KillAsync();
        }

        // The server is down while the second minute passes.
        await MinuteClock.WaitUntilAsync(first.AddSeconds(65));
        await using var restarted = await TestServer.StartAsync(settings with { HttpPort = HostProcess.FreePort() });
        var third = first.AddMinutes(2);
        Assert.True(DateTimeOffset.UtcNow < third.AddSeconds(-5), "the restart took too long for this test's timeline");
        await MinuteClock.WaitUntilAsync(third.AddSeconds(15));

        Assert.Equal([(first, 0), (third, 0)], CronFiringScript.Executions(file));
        var records = (await restarted.GetAsync("/api/v1/task-records?origin=crontab&originId=every", token)).AssertOk().EnumerateArray().ToList();
        Assert.Equal([first, third], records.Select(r => r.GetProperty("triggerTime").GetDateTimeOffset()).Order());
        Assert.All(records, r => Assert.Equal("success", r.GetProperty("status").GetString()));
    }
}
