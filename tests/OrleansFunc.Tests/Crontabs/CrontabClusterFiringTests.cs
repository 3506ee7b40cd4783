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
        await using var hosts = await TwoHosts.StartAsync();
        var (web, silo, token) = (hosts.Web, hosts.Silo, hosts.Token);
        var script = await CronFiringScript.PublishAsync(web, token);
        var output = CronFiringScript.NewOutputFolder();

        // Configs are made well inside a minute, so that the 15-second expiry ends before the first boundary.
        await MinuteClock.WaitForSecondOfMinuteAsync(3, 35);
        var first = MinuteClock.NextMinute(DateTimeOffset.UtcNow);
        var configs = new Dictionary<string, string>();
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
            return configs[file] = created.Data.GetProperty("id").GetString()!;
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
        // What ran and what the records say, for a failure to tell a late firing from a missing one.
        var story = await StoryAsync(web, token, output, configs);
        void AssertRan(IEnumerable<(DateTimeOffset, int)> expected, string file, bool sorted = false)
        {
            var ran = CronFiringScript.Executions(Path.Combine(output, file));
            Assert.True(expected.SequenceEqual(sorted ? ran.Order() : ran), $"'{file}' did not run as expected:\n{story}");
        }
        AssertRan(minutes.Select(m => (m, 0)), "every");
        AssertRan([], "disabled");
        AssertRan([], "expiring");
        AssertRan([(first, 0)], "stopped");
        AssertRan(minutes.SelectMany(m => new[] { (m, 0), (m, 4) }), "delayed", sorted: true);
        // The slow run of the first minute still runs at the second: that firing is skipped, the third runs.
        AssertRan([(first, 0), (minutes[2], 0)], "slow");

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

    /// <summary>Each config's executions (with the silo that ran them) and task records.</summary>
    private static async Task<string> StoryAsync(TestServer web, string token, string output, IReadOnlyDictionary<string, string> configs)
    {
        var lines = new List<string> { $"at {DateTimeOffset.UtcNow:HH:mm:ss.fff}" };
        static string Time(JsonElement record, string name) =>
            record.GetProperty(name) is { ValueKind: JsonValueKind.String } time ? $"{time.GetDateTimeOffset():HH:mm:ss.fff}" : "-";
        foreach (var (file, id) in configs)
        {
            var path = Path.Combine(output, file);
            lines.Add($"{file}: ran {(File.Exists(path) ? string.Join(" | ", File.ReadAllLines(path)) : "never")}");
            lines.AddRange((await RecordsAsync(web, token, id)).Select(record =>
                $"  trigger {Time(record, "triggerTime")} {record.GetProperty("status").GetString()} start {Time(record, "startTime")} end {Time(record, "endTime")}"));
        }
        return string.Join("\n", lines);
    }

    private static async Task<IReadOnlyList<JsonElement>> RecordsAsync(TestServer web, string token, string configId) =>
        (await web.GetAsync($"/api/v1/task-records?origin=crontab&originId={configId}&pageSize=100", token)).AssertOk().EnumerateArray().ToList();
}
