using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Crontabs;

/// <summary>Crontab configs through the admin API: validation, schedule, manual runs (SPEC M3, M10).</summary>
[Collection(SharedServerCollection.Name)]
public sealed class CrontabConfigApiTests(SharedServerFixture fixture)
{
    /// <summary>A schedule that does not fire while a test runs (midnight of January 1st).</summary>
    private const string Yearly = "0 0 1 1 *";

    private const string Code =
        "@DFF.API('Tick')\ndef tick(tag='x'):\n" +
        "    print('mode', _DFF_EXEC_MODE, 'crontab', _DFF_CRONTAB, 'delay', _DFF_CRONTAB_DELAY)\n" +
        "    return {'tag': tag, 'mode': _DFF_CRON_JOB_EXEC_MODE, 'origin': _DFF_ORIGIN}\n\n" +
        "@DFF.API('Fixed', fixed_crontab='*/5 * * * *', delayed_crontab=[3, 1])\ndef fixed():\n    return 1\n\n" +
        "@DFF.API('Kept', fixed_task_info_limit=1)\ndef kept():\n    return 1\n";

    private TestServer Server => fixture.Server;
    private string Token => fixture.AdminToken;

    private async Task<string> ScriptAsync()
    {
        var set = SharedServerFixture.UniqueId("ct");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, Token)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = Code }, Token)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{set}__main/publish", null, Token)).AssertOk();
        return $"{set}__main";
    }

    [Fact]
    public async Task Create_RefusesBadInput_AndCreatesNothing()
    {
        var funcId = $"{await ScriptAsync()}.tick";
        object[] bad =
        [
            new { funcId, crontab = "* * * *" },
            new { funcId, crontab = "* * * * * *" },
            new { funcId, crontab = "61 * * * *" },
            new { funcId, crontab = "* 24 * * *" },
            new { funcId, crontab = "0 0 30 2 *" },
            new { funcId, crontab = "@hourly" },
            new { funcId, crontab = "" },
            new { funcId },
            new { funcId, crontab = Yearly, timezone = "Mars/Olympus_Mons" },
            new { funcId, crontab = Yearly, funcCallKwargs = new { tag = "INPUT_BY_CALLER" } },
            new { funcId, crontab = Yearly, funcCallKwargs = new[] { 1 } },
            new { funcId, crontab = Yearly, taskRecordLimit = 0 },
            new { funcId, crontab = Yearly, expireTime = "soon" },
            new { crontab = Yearly },
        ];
        foreach (var body in bad)
        {
            var id = SharedServerFixture.UniqueId("bad");
            var fields = JsonSerializer.SerializeToElement(body).EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value);
            fields["id"] = id;
            (await Server.PostAsync("/api/v1/crontab-configs", fields, Token)).AssertError(400.43);
            (await Server.GetAsync($"/api/v1/crontab-configs/{id}", Token)).AssertError(404.41);
        }
        (await Server.PostAsync("/api/v1/crontab-configs", new { funcId = "nope__nope.f", crontab = Yearly }, Token)).AssertError(404.41);
    }

    [Fact]
    public async Task Config_ShowsItsNextRun_InItsTimeZone_AndStopsWhenDisabledOrExpired()
    {
        var funcId = $"{await ScriptAsync()}.tick";
        var created = (await Server.PostAsync("/api/v1/crontab-configs",
            new { funcId, crontab = "* * * * *", funcCallKwargs = new { tag = "t" }, note = "every minute" }, Token)).AssertOk();
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("cron-", id);
        var next = created.GetProperty("nextRunTime").GetDateTimeOffset();
        Assert.InRange(next - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(61));
        Assert.Equal(0, next.Second);
        Assert.Equal("* * * * *", created.GetProperty("effectiveCrontab").GetString());
        Assert.False(created.GetProperty("isFixedByFunc").GetBoolean());

        var daily = (await Server.PatchAsync($"/api/v1/crontab-configs/{id}", new { crontab = "0 3 * * *", timezone = "Asia/Shanghai" }, Token)).AssertOk();
        var at = daily.GetProperty("nextRunTime").GetDateTimeOffset().ToUniversalTime();
        Assert.Equal((19, 0), (at.Hour, at.Minute));
        Assert.Equal("t", daily.GetProperty("funcCallKwargs").GetProperty("tag").GetString());

        (await Server.PatchAsync($"/api/v1/crontab-configs/{id}", new { crontab = "61 * * * *" }, Token)).AssertError(400.43);
        Assert.Equal("0 3 * * *", (await Server.GetAsync($"/api/v1/crontab-configs/{id}", Token)).AssertOk().GetProperty("crontab").GetString());

        var disabled = (await Server.PatchAsync($"/api/v1/crontab-configs/{id}", new { isDisabled = true }, Token)).AssertOk();
        Assert.Equal(JsonValueKind.Null, disabled.GetProperty("nextRunTime").ValueKind);
        var expired = (await Server.PatchAsync($"/api/v1/crontab-configs/{id}",
            new { isDisabled = false, expireTime = DateTimeOffset.UtcNow.AddMinutes(-1) }, Token)).AssertOk();
        Assert.Equal(JsonValueKind.Null, expired.GetProperty("nextRunTime").ValueKind);
        var again = (await Server.PatchAsync($"/api/v1/crontab-configs/{id}", new { expireTime = (string?)null }, Token)).AssertOk();
        Assert.Equal(JsonValueKind.Object, again.ValueKind);
        Assert.NotEqual(JsonValueKind.Null, again.GetProperty("nextRunTime").ValueKind);

        Assert.Contains(id, await Server.ListAllIdsAsync("/api/v1/crontab-configs", Token));
        (await Server.DeleteAsync($"/api/v1/crontab-configs/{id}", Token)).AssertOk();
        (await Server.GetAsync($"/api/v1/crontab-configs/{id}", Token)).AssertError(404.41);
        (await Server.PostAsync($"/api/v1/crontab-configs/{id}/run", null, Token)).AssertError(404.41);
    }

    [Fact]
    public async Task ManualRun_RunsOnce_AndIsRecordedUnderTheConfig()
    {
        var funcId = $"{await ScriptAsync()}.tick";
        var id = (await Server.PostAsync("/api/v1/crontab-configs",
            new { funcId, crontab = Yearly, funcCallKwargs = new { tag = "by hand" } }, Token)).AssertOk().GetProperty("id").GetString()!;

        var run = (await Server.PostAsync($"/api/v1/crontab-configs/{id}/run", null, Token)).AssertOk();
        var taskId = run.GetProperty("taskId").GetString()!;
        var task = await Server.WaitForTaskAsync(taskId, TimeSpan.FromSeconds(30), Token);

        Assert.Equal("success", task.GetProperty("status").GetString());
        Assert.Equal("by hand", task.GetProperty("result").GetProperty("tag").GetString());
        Assert.Equal("manual", task.GetProperty("result").GetProperty("mode").GetString());
        Assert.Equal("crontab", task.GetProperty("result").GetProperty("origin").GetString());
        Assert.Equal($"mode manual crontab {Yearly} delay 0", task.GetProperty("printLogs")[0].GetString());
        var records = (await Server.GetAsync($"/api/v1/task-records?origin=crontab&originId={id}", Token)).AssertOk();
        Assert.Equal(taskId, Assert.Single(records.EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task FixedTaskInfoLimitOfTheFunc_WinsOverTheConfigsRecordLimit_WhenItFires()
    {
        var funcId = $"{await ScriptAsync()}.kept";
        var id = (await Server.PostAsync("/api/v1/crontab-configs", new { funcId, crontab = "* * * * *", taskRecordLimit = 5 }, Token))
            .AssertOk().GetProperty("id").GetString()!;
        var manual = new List<string>();
        foreach (var _ in Enumerable.Range(0, 2))
        {
            manual.Add((await Server.PostAsync($"/api/v1/crontab-configs/{id}/run", null, Token)).AssertOk().GetProperty("taskId").GetString()!);
            await Server.WaitForTaskAsync(manual[^1], TimeSpan.FromSeconds(30), Token);
        }
        // A firing (queued ahead of its minute, within 60 s) keeps the func's 1 finished record besides its own; the
        // config's 5 would keep both manual ones as well, three records at least from here on. A firing may come while
        // the manual runs are made (it prunes what had finished by then); the next one then prunes to two.
        await Eventually.ValueAsync("a firing to prune the finished records to one",
            async () => (await Server.GetAsync($"/api/v1/task-records?origin=crontab&originId={id}", Token)).AssertOk().EnumerateArray()
                .Select(r => r.GetProperty("id").GetString()!).ToList(),
            found => found.Count <= 2 && found.Any(record => !manual.Contains(record)), TimeSpan.FromSeconds(130));
        (await Server.DeleteAsync($"/api/v1/crontab-configs/{id}", Token)).AssertOk();
    }

    [Fact]
    public async Task FixedCrontabOfTheFunc_OverridesTheConfigs()
    {
        var funcId = $"{await ScriptAsync()}.fixed";
        var config = (await Server.PostAsync("/api/v1/crontab-configs", new { funcId, crontab = Yearly }, Token)).AssertOk();
        Assert.Equal(Yearly, config.GetProperty("crontab").GetString());
        Assert.Equal("*/5 * * * *", config.GetProperty("effectiveCrontab").GetString());
        Assert.True(config.GetProperty("isFixedByFunc").GetBoolean());
        Assert.Equal(0, config.GetProperty("nextRunTime").GetDateTimeOffset().Minute % 5);
    }

    [Fact]
    public async Task Publish_RefusesAFixedCrontabThatMeansNothing()
    {
        var set = SharedServerFixture.UniqueId("cf");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, Token)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new
        {
            id = $"{set}__main",
            codeDraft = "x = 1\n\n@DFF.API('Bad', fixed_crontab='61 * * * *')\ndef bad():\n    return 1\n",
        }, Token)).AssertOk();

        var refused = (await Server.PostAsync($"/api/v1/scripts/{set}__main/publish", null, Token)).AssertError(400.9);
        Assert.Contains("61 * * * *", refused.Body.GetProperty("message").GetString());
        Assert.Equal(0, (await Server.GetAsync($"/api/v1/scripts/{set}__main", Token)).AssertOk().GetProperty("publishVersion").GetInt32());
    }
}
