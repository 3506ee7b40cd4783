using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Crontabs;

/// <summary>
/// Crontab control for maintenance: one config paused until a time (its next run is the first minute after), every config
/// paused at once (no minute in the pause runs; a banner's API says so), and the overview's firings of the last hour.
/// </summary>
public sealed class CrontabPauseTests
{
    private const string Code = "@DFF.API('Tick')\ndef tick():\n    return 'ticked'\n";

    private static async Task<(TestServer Server, string Token, string FuncId)> StartAsync(string name)
    {
        var server = await TestServer.StartAsync(new TestServer.Settings(TestPaths.NewTempFolder(name), await TestPostgres.CreateDatabaseAsync()));
        var token = await server.SetUpAndSignInAsync();
        (await server.PostAsync("/api/v1/script-sets", new { id = "cron" }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts", new { id = "cron__main", codeDraft = Code }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts/cron__main/publish", null, token)).AssertOk();
        return (server, token, "cron__main.tick");
    }

    [Fact]
    public async Task AConfigPausedUntilATime_FiresFirstAfterIt_AndFiresAgainWhenThePauseIsRemoved()
    {
        var (server, token, funcId) = await StartAsync("cron-pause-one");
        await using var _ = server;
        var until = DateTimeOffset.UtcNow.AddMinutes(30);
        var config = (await server.PostAsync("/api/v1/crontab-configs", new { funcId, crontab = "* * * * *", pausedUntil = until.ToString("O") }, token)).AssertOk();
        var next = config.GetProperty("nextRunTime").GetDateTimeOffset();
        Assert.InRange(next, until, until.AddMinutes(1));
        Assert.Equal(until, config.GetProperty("pausedUntil").GetDateTimeOffset());

        var id = config.GetProperty("id").GetString();
        var resumed = (await server.PatchAsync($"/api/v1/crontab-configs/{id}", new { pausedUntil = (string?)null }, token)).AssertOk();
        Assert.True(resumed.GetProperty("nextRunTime").GetDateTimeOffset() <= DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, resumed.GetProperty("pausedUntil").ValueKind);
        (await server.PatchAsync($"/api/v1/crontab-configs/{id}", new { pausedUntil = "soon" }, token)).AssertError(400.43, "EClientBadRequest.InvalidExpireTime");

        // A manual run is a firing of the last hour on the overview.
        var run = (await server.PostAsync($"/api/v1/crontab-configs/{id}/run", null, token)).AssertOk().GetProperty("taskId").GetString();
        await Eventually.HoldsAsync("the overview lists the manual run", async () =>
            (await server.GetAsync("/api/v1/overview", token)).AssertOk().GetProperty("cron").GetProperty("firingsLastHour").EnumerateArray()
                .Any(f => f.GetProperty("taskId").GetString() == run && f.GetProperty("configId").GetString() == id));
    }

    [Fact]
    [Trait("Category", "Cron")]
    public async Task PausingEveryConfig_LetsNoMinuteRun_UntilResumed()
    {
        var (server, token, funcId) = await StartAsync("cron-pause-all");
        await using var _ = server;
        var member = await server.PostAsync("/api/v1/users", new { username = "ops", password = "member-password-1", role = "member" }, token);
        member.AssertOk();
        var memberToken = await server.SignInAsync("ops", "member-password-1");
        (await server.PutAsync("/api/v1/crontab-pause", new { pausedUntil = DateTimeOffset.UtcNow.AddMinutes(5) }, memberToken)).AssertError(403.15);
        (await server.PutAsync("/api/v1/crontab-pause", new { pausedUntil = DateTimeOffset.UtcNow.AddDays(-1) }, token)).AssertError(400.43, "EClientBadRequest.InvalidPause");

        // Well before a minute's queue-ahead (5 s before it), so no firing of the config is written before the pause.
        await Eventually.HoldsAsync("a quiet moment of the minute", () => DateTimeOffset.UtcNow.Second is >= 3 and <= 40, TimeSpan.FromSeconds(70));
        (await server.PutAsync("/api/v1/crontab-pause", new { pausedUntil = DateTimeOffset.UtcNow.AddMinutes(10), note = "database upgrade" }, token)).AssertOk();
        var pause = (await server.GetAsync("/api/v1/crontab-pause", memberToken)).AssertOk();
        Assert.Equal("admin", pause.GetProperty("pausedBy").GetString());
        Assert.Equal("database upgrade", pause.GetProperty("note").GetString());
        var id = (await server.PostAsync("/api/v1/crontab-configs", new { funcId, crontab = "* * * * *" }, token)).AssertOk().GetProperty("id").GetString();

        var firstMinute = NextMinute(DateTimeOffset.UtcNow);
        await Task.Delay(firstMinute.AddSeconds(10) - DateTimeOffset.UtcNow);
        Assert.Empty((await server.GetAsync($"/api/v1/task-records?origin=crontab&originId={id}", token)).AssertOk().EnumerateArray());

        (await server.DeleteAsync("/api/v1/crontab-pause", token)).AssertOk();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await server.GetAsync("/api/v1/crontab-pause", token)).AssertOk().GetProperty("pausedUntil").ValueKind);
        await Eventually.HoldsAsync("a firing after the resume", async () =>
            (await server.GetAsync($"/api/v1/task-records?origin=crontab&originId={id}", token)).AssertOk().GetArrayLength() > 0, TimeSpan.FromSeconds(75));
    }

    private static DateTimeOffset NextMinute(DateTimeOffset time) =>
        new DateTimeOffset(time.Ticks - time.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero).AddMinutes(1);
}
