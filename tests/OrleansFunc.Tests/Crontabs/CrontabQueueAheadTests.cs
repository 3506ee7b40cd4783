using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Crontabs;

/// <summary>
/// A firing is queued a few seconds before its minute; a config changed or deleted in between runs as it is at its
/// minute, not as it was when the firing was queued (slow: a real minute, tagged Cron).
/// </summary>
[Trait("Category", "Cron")]
public sealed class CrontabQueueAheadTests
{
    [Fact]
    public async Task AFiringQueuedAhead_IsTakenBack_WhenItsConfigChangesBeforeItsMinute()
    {
        await using var server = await TestServer.StartAsync(new TestServer.Settings(TestPaths.NewTempFolder("web"), await TestPostgres.CreateDatabaseAsync()));
        var token = await server.SetUpAndSignInAsync();
        var script = await CronFiringScript.PublishAsync(server, token);
        var output = CronFiringScript.NewOutputFolder();
        string PathOf(string name) => Path.Combine(output, name);
        async Task<string> ConfigAsync(string file) =>
            (await server.PostAsync("/api/v1/crontab-configs", new { funcId = $"{script}.record", crontab = "* * * * *", funcCallKwargs = new { path = PathOf(file) } }, token))
            .AssertOk().GetProperty("id").GetString()!;

        // Made well before a minute's queueing (5 s ahead), so that minute is queued by the running configs.
        await MinuteClock.WaitForSecondOfMinuteAsync(3, 40);
        var minute = MinuteClock.NextMinute(DateTimeOffset.UtcNow);
        var changed = await ConfigAsync("before-change");
        var disabled = await ConfigAsync("disabled");
        var deleted = await ConfigAsync("deleted");
        var kept = await ConfigAsync("kept");

        // Each firing of the minute waits in the queue before the minute comes.
        foreach (var config in new[] { changed, disabled, deleted, kept })
        {
            await Eventually.HoldsAsync($"{config}'s firing of {minute:HH:mm} to be queued ahead", async () =>
                (await RecordsAsync(server, token, config)).Any(r => r.GetProperty("triggerTime").GetDateTimeOffset() == minute
                                                                    && r.GetProperty("status").GetString() == "queued"),
                TimeSpan.FromSeconds(70));
        }
        Assert.True(DateTimeOffset.UtcNow < minute, "the firings were queued only after their minute");
        (await server.PatchAsync($"/api/v1/crontab-configs/{changed}", new { funcCallKwargs = new { path = PathOf("after-change") } }, token)).AssertOk();
        (await server.PatchAsync($"/api/v1/crontab-configs/{disabled}", new { isDisabled = true }, token)).AssertOk();
        (await server.DeleteAsync($"/api/v1/crontab-configs/{deleted}", token)).AssertOk();
        Assert.True(DateTimeOffset.UtcNow < minute, "the changes came after the minute; the test proves nothing");

        await Eventually.HoldsAsync("the kept config to run", () => CronFiringScript.Executions(PathOf("kept")).Count == 1, TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync("the changed config to run", () => CronFiringScript.Executions(PathOf("after-change")).Count == 1, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal([(minute, 0)], CronFiringScript.Executions(PathOf("kept")));
        Assert.Equal([(minute, 0)], CronFiringScript.Executions(PathOf("after-change")));
        Assert.Empty(CronFiringScript.Executions(PathOf("before-change")));
        Assert.Empty(CronFiringScript.Executions(PathOf("disabled")));
        Assert.Empty(CronFiringScript.Executions(PathOf("deleted")));
        Assert.Single(await RecordsAsync(server, token, changed), r => r.GetProperty("triggerTime").GetDateTimeOffset() == minute);
        Assert.DoesNotContain(await RecordsAsync(server, token, disabled), r => r.GetProperty("triggerTime").GetDateTimeOffset() == minute);

        // Metrics: the four firings queued ahead, and the two runs' lateness measured on the cron lane.
        var scrape = await MetricsScrape.ReadAsync(server);
        Assert.True(scrape.Sum("orleansfunc_crontab_firings_total", ("result", "queued")) >= 4, "the firings queued ahead are counted");
        Assert.True(scrape.Sum("orleansfunc_task_queue_wait_seconds_count", ("lane", "cron"), ("origin", "crontab")) >= 2, "the runs' waits are measured");
    }

    private static async Task<IReadOnlyList<JsonElement>> RecordsAsync(TestServer server, string token, string configId) =>
        (await server.GetAsync($"/api/v1/task-records?origin=crontab&originId={configId}&pageSize=100", token)).AssertOk().EnumerateArray().ToList();
}
