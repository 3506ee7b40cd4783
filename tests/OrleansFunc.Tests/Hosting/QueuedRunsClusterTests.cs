using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Hosting;

/// <summary>
/// Queued runs (batch calls here; crontab runs take the same dispatcher) on a cluster: a silo whose lane has been running
/// short runs claims several tasks at once, and a long one among them must not hold the others while another silo's
/// worker is free. The tests compare the records' end times and the silos that ran them, never durations.
/// </summary>
public sealed class QueuedRunsClusterTests
{
    private const string Code =
        "import time\n\n@DFF.API('Work')\ndef work(seconds=0):\n    time.sleep(seconds)\n    return {'silo': _DFF_SILO}\n";

    [Fact]
    public async Task ShortTasks_ClaimedWithALongOne_RunOnTheFreeSilo_NotBehindIt()
    {
        await using var hosts = await TwoHosts.StartAsync();
        var (web, token) = (hosts.Web, hosts.Token);
        (await web.PostAsync("/api/v1/script-sets", new { id = "queued" }, token)).AssertOk();
        (await web.PostAsync("/api/v1/scripts", new { id = "queued__main", codeDraft = Code }, token)).AssertOk();
        (await web.PostAsync("/api/v1/scripts/queued__main/publish", null, token)).AssertOk();
        // One batch: every call is queued by the same grain, so the silo it lives on hears of each task first.
        var batch = (await web.PostAsync("/api/v1/batches", new { funcId = "queued__main.work" }, token)).AssertOk().GetProperty("id").GetString()!;
        async Task<string> QueueAsync(int seconds, DateTimeOffset? eta = null) =>
            (await web.PostAsync($"/api/v1/bat/{batch}", eta is null ? new { kwargs = new { seconds } } : new { kwargs = new { seconds }, options = new { eta = eta.Value.ToString("O") } }))
            .AssertOk().GetProperty("taskId").GetString()!;

        // Short runs teach the lane's dispatchers that its runs are short (so they claim more than one task at a time).
        foreach (var task in await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => QueueAsync(0))))
        {
            var run = await web.WaitForTaskAsync(task, TimeSpan.FromSeconds(60));
            Assert.Equal("success", run.GetProperty("status").GetString());
        }

        // Due at one instant, as the firings of a crontab minute are: the long one is the oldest.
        var due = DateTimeOffset.UtcNow.AddSeconds(3);
        var slow = await QueueAsync(20, due);
        var quick = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            quick.Add(await QueueAsync(0, due));
        }

        var slowRun = await web.WaitForTaskAsync(slow, TimeSpan.FromSeconds(90));
        var quickRuns = new List<JsonElement>();
        foreach (var task in quick)
        {
            quickRuns.Add(await web.WaitForTaskAsync(task, TimeSpan.FromSeconds(90)));
        }
        string Describe(JsonElement run) =>
            $"{run.GetProperty("status").GetString()} on {(run.GetProperty("result").ValueKind == JsonValueKind.Object ? run.GetProperty("result").GetProperty("silo").GetString() : "?")}" +
            $" {run.GetProperty("startTime").GetDateTimeOffset():HH:mm:ss.fff}–{run.GetProperty("endTime").GetDateTimeOffset():HH:mm:ss.fff}";
        var story = $"slow: {Describe(slowRun)}\n" + string.Join("\n", quickRuns.Select(run => $"quick: {Describe(run)}"));
        Assert.True(slowRun.GetProperty("status").GetString() == "success", story);
        var slowEnd = slowRun.GetProperty("endTime").GetDateTimeOffset();
        Assert.All(quickRuns, run =>
        {
            Assert.True(run.GetProperty("status").GetString() == "success", story);
            Assert.True(run.GetProperty("endTime").GetDateTimeOffset() < slowEnd, $"a short task waited for the long one:\n{story}");
        });
    }
}
