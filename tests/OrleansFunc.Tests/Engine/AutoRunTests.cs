using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>
/// <c>DFF.API(integration='autoRun')</c> funcs of DataFlux Func 1.x: run after their script is published (<c>onPublish</c>)
/// and when the service starts (<c>onLaunch</c>), each run a task record of origin <c>integration</c>.
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

    private static Task<List<System.Text.Json.JsonElement>> RecordsAsync(TestServer server, string token, string originId, int count) =>
        Eventually.ValueAsync($"{count} finished task record(s) of {originId}", () => OriginRecordsAsync(server, token, originId),
            found => found.Count == count && found.All(r => r.GetProperty("status").GetString() is not ("queued" or "running")), TimeSpan.FromSeconds(60));

    private static async Task<List<System.Text.Json.JsonElement>> OriginRecordsAsync(TestServer server, string token, string originId) =>
        (await server.GetAsync($"/api/v1/task-records?origin=integration&originId={Uri.EscapeDataString(originId)}", token)).AssertOk()
            .EnumerateArray().ToList();
}
