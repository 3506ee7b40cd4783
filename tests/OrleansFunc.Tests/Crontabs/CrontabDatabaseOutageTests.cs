using System.Text.Json;
using Npgsql;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Crontabs;

/// <summary>
/// PostgreSQL with no connection left for the server for two minutes (another client holds them all):
/// no crontab firing is lost (slow: tagged Cron).
/// </summary>
[Trait("Category", "Cron")]
public sealed class CrontabDatabaseOutageTests
{
    [Fact]
    public async Task WhileTheDatabaseTakesNoConnection_AFiringIsWrittenLate_OrRecordedAsMissed_NeverLost()
    {
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("cron-outage"));
        await using var server = await TestServer.StartAsync(settings);
        var token = await server.SetUpAndSignInAsync();
        var script = await CronFiringScript.PublishAsync(server, token);
        var file = Path.Combine(CronFiringScript.NewOutputFolder(), "every");
        await MinuteClock.WaitForSecondOfMinuteAsync(3, 40);
        var first = MinuteClock.NextMinute(DateTimeOffset.UtcNow);
        (await server.PostAsync("/api/v1/crontab-configs",
            new { id = "every", funcId = $"{script}.record", crontab = "* * * * *", funcCallKwargs = new { path = file } }, token)).AssertOk();
        await MinuteClock.WaitUntilAsync(first.AddSeconds(10));
        Assert.Equal([(first, 0)], CronFiringScript.Executions(file));

        // From first + 10 s to first + 2 min 20 s the server gets no connection: the firing of first + 1 min cannot be
        // written before first + 2 min is due (missed), and that of first + 2 min is written late, when connections come back.
        await using (var hog = await ConnectionHog.TakeAllAsync(settings.DataFolder))
        {
            await MinuteClock.WaitUntilAsync(first.AddMinutes(2).AddSeconds(20));
            Assert.True(hog.Held > 10, $"only {hog.Held} connections were held");
        }
        var fourth = first.AddMinutes(3);
        await MinuteClock.WaitUntilAsync(fourth.AddSeconds(15));

        var records = await Eventually.ValueAsync("every minute's task record, ended",
            async () => (await server.GetAsync("/api/v1/task-records?origin=crontab&originId=every", token)).AssertOk().EnumerateArray()
                .Select(r => (Minute: r.GetProperty("triggerTime").GetDateTimeOffset(), Status: r.GetProperty("status").GetString()))
                .OrderBy(r => r.Minute).ToList(),
            found => found.Count == 4 && found.All(r => r.Status is not ("queued" or "running")), TimeSpan.FromSeconds(60));
        Assert.Equal([(first, "success"), (first.AddMinutes(1), "missed"), (first.AddMinutes(2), "success"), (fourth, "success")], records);
        // The missed minute never ran; the late one ran once.
        Assert.Equal([first, first.AddMinutes(2), fourth], CronFiringScript.Executions(file).Select(e => e.Minute));
    }
}
