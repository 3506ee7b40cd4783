using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Crontabs;

/// <summary>
/// Crontab firing on a cluster of two silos over three real minutes (slow: tagged Cron, run in
/// parallel with the rest of the suite).
/// </summary>
[Trait("Category", "Cron")]
public sealed class CrontabClusterFiringTests
{
    [Fact]
    public async Task TwoSilos_FireEachMinuteOnce_SkipOverlaps_AndHonourDisableExpiryAndDelays()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        var clusterId = $"c{Guid.NewGuid():N}";
        await using var web = await TestServer.StartAsync(new TestServer.Settings(TestPaths.NewTempFolder("web"), connectionString, clusterId));
        var siloSettings = new TestServer.Settings(TestPaths.NewTempFolder("silo"), connectionString, clusterId);
        await using var silo = HostProcess.Start(TestPaths.SiloDll, siloSettings.ToEnvironment());
        var token = await web.SetUpAndSignInAsync();
        await web.WaitForMembersAsync(token, 2, silo);
        var script = await CronFiringScript.PublishAsync(web, token);
        var output = CronFiringScript.NewOutputFolder();

        // Configs are made well inside a minute, so that the 15-second expiry ends before the first boundary.
        await MinuteClock.WaitForSecondOfMinuteAsync(3, 35);
        var first = MinuteClock.NextMinute(DateTimeOffset.UtcNow);
        async Task<string> ConfigAsync(string func, string file, object? extra = null)
        {
            var fields = new Dictionary<string, object?>
            {
                ["funcId"] = $"{script}.{func}",
                ["crontab"] = "* * * * *",
                ["funcCallKwargs"] = new { path = Path.Combine(output, file) },
            };
            foreach (var property in JsonSerializer.SerializeToElement(extra ?? new { }).EnumerateObject())
            {
                fields[property.Name] = property.Value;
            }
            var created = await web.PostAsync("/api/v1/crontab-configs", fields, token);
            Assert.True(created.Status == 200, $"{created.Text}\nWebFront:\n{web.Process.Output}\nSilo:\n{silo.Output}");
            return created.Data.GetProperty("id").GetString()!;
        }
        var every = await ConfigAsync("record", "every");
        await ConfigAsync("record", "disabled", new { isDisabled = true });
        await ConfigAsync("record", "expiring", new { expireTime = DateTimeOffset.UtcNow.AddSeconds(15) });
        var stopped = await ConfigAsync("record", "stopped");
        await ConfigAsync("delayed", "delayed");
        var slow = await ConfigAsync("slow", "slow");

        await MinuteClock.WaitUntilAsync(first.AddSeconds(10));
        (await web.PatchAsync($"/api/v1/crontab-configs/{stopped}", new { isDisabled = true }, token)).AssertOk();
        await MinuteClock.WaitUntilAsync(first.AddMinutes(2).AddSeconds(15));

        DateTimeOffset[] minutes = [first, first.AddMinutes(1), first.AddMinutes(2)];
        Assert.Equal(minutes.Select(m => (m, 0)), CronFiringScript.Executions(Path.Combine(output, "every")));
        Assert.Empty(CronFiringScript.Executions(Path.Combine(output, "disabled")));
        Assert.Empty(CronFiringScript.Executions(Path.Combine(output, "expiring")));
        Assert.Equal([(first, 0)], CronFiringScript.Executions(Path.Combine(output, "stopped")));
        Assert.Equal(minutes.SelectMany(m => new[] { (m, 0), (m, 4) }), CronFiringScript.Executions(Path.Combine(output, "delayed")).Order());
        // The slow run of the first minute still runs at the second: that firing is skipped, the third runs.
        Assert.Equal([(first, 0), (minutes[2], 0)], CronFiringScript.Executions(Path.Combine(output, "slow")));

        var everyRecords = await RecordsAsync(web, token, every);
        Assert.Equal(minutes, everyRecords.Select(r => r.GetProperty("triggerTime").GetDateTimeOffset()).Order());
        foreach (var record in everyRecords)
        {
            Assert.Equal("success", record.GetProperty("status").GetString());
            // The timer fires at the boundary; the margin is for a loaded two-core test machine.
            var lag = record.GetProperty("startTime").GetDateTimeOffset() - record.GetProperty("triggerTime").GetDateTimeOffset();
            Assert.InRange(lag, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        }
        var skipped = (await RecordsAsync(web, token, slow)).Single(r => r.GetProperty("triggerTime").GetDateTimeOffset() == minutes[1]);
        Assert.Equal("skipped", skipped.GetProperty("status").GetString());
        Assert.Equal("PreviousTaskNotFinished", skipped.GetProperty("error").GetProperty("type").GetString());
    }

    private static async Task<IReadOnlyList<JsonElement>> RecordsAsync(TestServer web, string token, string configId) =>
        (await web.GetAsync($"/api/v1/task-records?origin=crontab&originId={configId}&pageSize=100", token)).AssertOk().EnumerateArray().ToList();
}
