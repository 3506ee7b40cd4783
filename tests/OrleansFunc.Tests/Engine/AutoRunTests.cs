using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>
/// <c>DFF.API(integration='autoRun')</c> funcs of DataFlux Func 1.x: run after their script is published (<c>onPublish</c>)
/// and when the service starts (<c>onLaunch</c>), and on their own crontab (<c>crontab</c>), each run a task record of
/// origin <c>integration</c>.
/// </summary>
public sealed class AutoRunTests
{
    private const string Code = """
        @DFF.API('On publish', integration='autoRun', integration_config={'onPublish': True})
        def on_publish():
            return 'published'

        @DFF.API('On launch', integration='auto_run', integration_config={'onLaunch': True})
        def on_launch():
            return 'launched'

        @DFF.API('Neither', integration='autoRun')
        def neither():
            return 'never'
        """;

    [Fact]
    public async Task AutoRunFuncs_RunAfterTheirPublish_AndWhenTheServerStarts()
    {
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("autorun"), await TestPostgres.CreateDatabaseAsync());
        string token;
        await using (var server = await TestServer.StartAsync(settings))
        {
            token = await server.SetUpAndSignInAsync();
            (await server.PostAsync("/api/v1/script-sets", new { id = "auto" }, token)).AssertOk();
            (await server.PostAsync("/api/v1/scripts", new { id = "auto__main", codeDraft = Code }, token)).AssertOk();
            (await server.PostAsync("/api/v1/scripts/auto__main/publish", null, token)).AssertOk();

            var afterPublish = await RecordsAsync(server, token, "autoRun.onScriptPublish-auto__main.on_publish", 1);
            Assert.Equal("success", afterPublish[0].GetProperty("status").GetString());
            Assert.Equal("published", afterPublish[0].GetProperty("result").GetString());
            Assert.Empty(await OriginRecordsAsync(server, token, "autoRun.onSystemLaunch-auto__main.on_launch"));
        }

        await using var restarted = await TestServer.StartAsync(settings with { HttpPort = HostProcess.FreePort() });
        var atLaunch = await RecordsAsync(restarted, token, "autoRun.onSystemLaunch-auto__main.on_launch", 1);
        Assert.Equal("launched", atLaunch[0].GetProperty("result").GetString());
        Assert.Single(await OriginRecordsAsync(restarted, token, "autoRun.onScriptPublish-auto__main.on_publish"));
        var all = (await restarted.GetAsync("/api/v1/task-records?origin=integration&pageSize=100", token)).AssertOk().EnumerateArray().ToList();
        Assert.DoesNotContain(all, r => r.GetProperty("funcId").GetString() == "auto__main.neither");
    }

    [Fact]
    [Trait("Category", "Cron")]
    public async Task AutoRunFuncWithACrontab_FiresOnIt_UntilItsFuncDropsIt_AndTheApiCannotChangeIt()
    {
        await using var server = await TestServer.StartAsync(
            new TestServer.Settings(TestPaths.NewTempFolder("autorun-cron"), await TestPostgres.CreateDatabaseAsync()));
        var token = await server.SetUpAndSignInAsync();
        (await server.PostAsync("/api/v1/script-sets", new { id = "tick" }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts", new { id = "tick__main", codeDraft = """
            @DFF.API('Every minute', integration='autoRun', integration_config={'crontab': '* * * * *'})
            def tick():
                return 'ticked'
            """ }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts/tick__main/publish", null, token)).AssertOk();

        const string configId = "autoRun.crontab-tick__main.tick";
        var config = (await server.GetAsync($"/api/v1/crontab-configs/{configId}", token)).AssertOk();
        Assert.Equal("* * * * *", config.GetProperty("crontab").GetString());
        Assert.DoesNotContain((await server.GetAsync("/api/v1/crontab-configs?pageSize=100", token)).AssertOk().EnumerateArray(),
            c => c.GetProperty("id").GetString() == configId);
        (await server.PatchAsync($"/api/v1/crontab-configs/{configId}", new { crontab = "0 * * * *" }, token)).AssertError(403.21, "EBizCondition.AutoRunCrontab");
        (await server.DeleteAsync($"/api/v1/crontab-configs/{configId}", token)).AssertError(403.21, "EBizCondition.AutoRunCrontab");

        var fired = await RecordsAsync(server, token, configId, 1, TimeSpan.FromSeconds(90));
        Assert.Equal("ticked", fired[0].GetProperty("result").GetString());
        Assert.Equal("tick__main.tick", fired[0].GetProperty("funcId").GetString());

        // Published without the crontab: the config follows its func at its next tick, and goes.
        (await server.PatchAsync("/api/v1/scripts/tick__main", new { codeDraft = """
            @DFF.API('Now and then', integration='autoRun')
            def tick():
                return 'ticked'
            """ }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts/tick__main/publish", null, token)).AssertOk();
        await Eventually.HoldsAsync("the auto-run crontab config is gone",
            async () => (await server.GetAsync($"/api/v1/crontab-configs/{configId}", token)).Status == 404, TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task AutoRunCrontab_ThatMeansNothing_FailsThePublish_WithItsLine()
    {
        await using var server = await TestServer.StartAsync(
            new TestServer.Settings(TestPaths.NewTempFolder("autorun-badcron"), await TestPostgres.CreateDatabaseAsync()));
        var token = await server.SetUpAndSignInAsync();
        (await server.PostAsync("/api/v1/script-sets", new { id = "bad" }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts", new { id = "bad__main", codeDraft = """
            import time

            @DFF.API('Never', integration='autoRun', integration_config={'crontab': '61 * * * *'})
            def never():
                return 'never'
            """ }, token)).AssertOk();
        var refused = (await server.PostAsync("/api/v1/scripts/bad__main/publish", null, token)).AssertError(400.9);
        Assert.Contains("line 3", refused.Message);
        Assert.Contains("integration_config crontab", refused.Message);
    }

    private static Task<List<System.Text.Json.JsonElement>> RecordsAsync(
        TestServer server, string token, string originId, int count, TimeSpan? within = null) =>
        Eventually.ValueAsync($"{count} finished task record(s) of {originId}", () => OriginRecordsAsync(server, token, originId),
            found => found.Count >= count && found.All(r => r.GetProperty("status").GetString() is not ("queued" or "running")),
            within ?? TimeSpan.FromSeconds(60));

    private static async Task<List<System.Text.Json.JsonElement>> OriginRecordsAsync(TestServer server, string token, string originId) =>
        (await server.GetAsync($"/api/v1/task-records?origin=integration&originId={Uri.EscapeDataString(originId)}", token)).AssertOk()
            .EnumerateArray().ToList();
}
