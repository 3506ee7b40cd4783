using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Hosting;

/// <summary>
/// Adding a silo adds capacity for synchronous calls, and a publish is live on every host when it
/// answers. Each run reports the silo that ran it (<c>_DFF_SILO</c>); the tests count those, never time.
/// </summary>
public sealed class ScaleOutTests
{
    private const string Code =
        "import time\n\n@DFF.API('Slow')\ndef slow():\n    time.sleep(0.3)\n    return {'silo': _DFF_SILO}\n";

    private const string VersionedCode = "@DFF.API('Version')\ndef slow():\n    return {'version': VERSION}\n\nVERSION = 1\n";

    [Fact]
    public async Task SyncCalls_WhenTheLocalWorkerIsBusy_RunOnAnAddedSilo()
    {
        await using var hosts = await TwoHosts.StartAsync();
        var (web, siloSettings, token) = (hosts.Web, hosts.SiloSettings, hosts.Token);
        var link = await PublishLinkAsync(web, token, Code);

        // One sync worker per silo (the test servers' setting): twelve calls at once need both.
        var served = await CallManyAsync(web, link, 12);

        Assert.Equal(2, served.Count);
        Assert.Contains($"127.0.0.1:{siloSettings.SiloPort}", served.Keys);
        Assert.All(served.Values, count => Assert.True(count >= 4, $"each silo should serve a third or more: {Describe(served)}"));

        // The overview lists the added silo, by its address, with its pools.
        await Eventually.HoldsAsync("the added silo's pools in the overview", async () =>
            (await web.GetAsync("/api/v1/overview", token)).AssertOk().GetProperty("workerPools").EnumerateArray()
            .Any(host => host.GetProperty("host").GetString()!.StartsWith($"127.0.0.1:{siloSettings.SiloPort} on ", StringComparison.Ordinal)
                         && host.GetProperty("pools").GetArrayLength() > 0));
    }

    [Fact]
    public async Task AClientModeWebFront_SpreadsItsRunsOverTheSilos()
    {
        var (connectionString, clusterId) = (await TestPostgres.CreateDatabaseAsync(), $"c{Guid.NewGuid():N}");
        var first = new TestServer.Settings(TestPaths.NewTempFolder("silo-a"), connectionString, clusterId);
        var second = new TestServer.Settings(TestPaths.NewTempFolder("silo-b"), connectionString, clusterId);
        await using var siloA = HostProcess.Start(TestPaths.SiloDll, first.ToEnvironment());
        await using var siloB = HostProcess.Start(TestPaths.SiloDll, second.ToEnvironment());
        var clientSettings = new TestServer.Settings(TestPaths.NewTempFolder("client"), connectionString, clusterId);
        var environment = clientSettings.ToEnvironment();
        environment["OrleansFunc__Cluster__Mode"] = "Client";
        await using var web = await TestServer.StartAsync(clientSettings, environment);
        var token = await web.SetUpAndSignInAsync();
        await web.WaitForMembersAsync(token, 2, siloA);
        var link = await PublishLinkAsync(web, token, Code);

        var served = await CallManyAsync(web, link, 8);

        Assert.Equal(
            new[] { $"127.0.0.1:{first.SiloPort}", $"127.0.0.1:{second.SiloPort}" }.Order(),
            served.Keys.Order());
    }

    [Fact]
    public async Task APublish_IsLiveOnEveryHost_WhenItAnswers()
    {
        var (connectionString, clusterId) = (await TestPostgres.CreateDatabaseAsync(), $"c{Guid.NewGuid():N}");
        await using var publisher = await TestServer.StartAsync(new TestServer.Settings(TestPaths.NewTempFolder("web-a"), connectionString, clusterId));
        await using var caller = await TestServer.StartAsync(new TestServer.Settings(TestPaths.NewTempFolder("web-b"), connectionString, clusterId));
        var token = await publisher.SetUpAndSignInAsync();
        var link = await PublishLinkAsync(publisher, token, VersionedCode);
        var script = link.Script;

        for (var version = 2; version <= 6; version++)
        {
            // The caller's copy of the script is warm: it was just used.
            Assert.Equal(version - 1, (await CallAsync(caller, link.Id)).GetProperty("version").GetInt32());
            (await publisher.PatchAsync($"/api/v1/scripts/{script}",
                new { codeDraft = VersionedCode.Replace("VERSION = 1", $"VERSION = {version}") }, token)).AssertOk();
            (await publisher.PostAsync($"/api/v1/scripts/{script}/publish", null, token)).AssertOk();
            Assert.Equal(version, (await CallAsync(caller, link.Id)).GetProperty("version").GetInt32());
        }
    }

    [Fact]
    public async Task ACacheClear_AndAnEditLock_HoldOnEveryHost()
    {
        var (connectionString, clusterId) = (await TestPostgres.CreateDatabaseAsync(), $"c{Guid.NewGuid():N}");
        await using var first = await TestServer.StartAsync(new TestServer.Settings(TestPaths.NewTempFolder("web-a"), connectionString, clusterId));
        await using var second = await TestServer.StartAsync(new TestServer.Settings(TestPaths.NewTempFolder("web-b"), connectionString, clusterId));
        var admin = await first.SetUpAndSignInAsync();
        var set = SharedServerFixture.UniqueId("hosts");
        var script = $"{set}__main";
        (await first.PostAsync("/api/v1/script-sets", new { id = set }, admin)).AssertOk();
        (await first.PostAsync("/api/v1/scripts", new { id = script, codeDraft = "import uuid\n\n@DFF.API('Stamp', cache_result=300)\ndef stamp():\n    return uuid.uuid4().hex\n" }, admin)).AssertOk();
        (await first.PostAsync($"/api/v1/scripts/{script}/publish", null, admin)).AssertOk();

        // A result cached on the second host is dropped there by a clear made on the first.
        async Task<string> StampAsync() =>
            (await second.PostAsync($"/api/v1/func/{script}.stamp", new { kwargs = new { } }, admin)).AssertOk().GetProperty("result").GetString()!;
        var cached = await StampAsync();
        Assert.Equal(cached, await StampAsync());
        (await first.PostAsync("/api/v1/cache/clear", null, admin)).AssertOk();
        Assert.NotEqual(cached, await StampAsync());

        // A lock taken through the first host holds another user off through the second.
        (await first.PostAsync("/api/v1/users", new { username = "editor", password = "editor-password" }, admin)).AssertOk();
        var editor = await second.SignInAsync("editor", "editor-password");
        (await first.PostAsync($"/api/v1/scripts/{script}/lock", null, admin)).AssertOk();
        Assert.Equal(ApiClient.AdminUsername, (await second.GetAsync($"/api/v1/scripts/{script}", editor)).AssertOk().GetProperty("lock").GetProperty("username").GetString());
        (await second.PatchAsync($"/api/v1/scripts/{script}", new { codeDraft = "x = 2\n" }, editor)).AssertError(403.21, "EBizCondition.ScriptLocked");
        (await first.DeleteAsync($"/api/v1/scripts/{script}/lock", admin)).AssertOk();
        (await second.PatchAsync($"/api/v1/scripts/{script}", new { codeDraft = "x = 2\n" }, editor)).AssertOk();
    }

    private sealed record Link(string Id, string Script);

    private static async Task<Link> PublishLinkAsync(TestServer web, string token, string code)
    {
        var set = SharedServerFixture.UniqueId("scale");
        var script = $"{set}__main";
        (await web.PostAsync("/api/v1/script-sets", new { id = set }, token)).AssertOk();
        (await web.PostAsync("/api/v1/scripts", new { id = script, codeDraft = code }, token)).AssertOk();
        (await web.PostAsync($"/api/v1/scripts/{script}/publish", null, token)).AssertOk();
        var link = (await web.PostAsync("/api/v1/auth-links", new { funcId = $"{script}.slow" }, token)).AssertOk();
        return new Link(link.GetProperty("id").GetString()!, script);
    }

    private static async Task<JsonElement> CallAsync(TestServer web, string linkId)
    {
        var response = await web.GetAsync($"/api/v1/al/{linkId}");
        Assert.True(response.Status == 200, $"{response.Request} answered {response.Status}: {response.Text}");
        return response.Body;
    }

    /// <summary>How many of <paramref name="count"/> calls at once each silo served.</summary>
    private static async Task<Dictionary<string, int>> CallManyAsync(TestServer web, Link link, int count)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => CallAsync(web, link.Id)));
        return results.GroupBy(r => r.GetProperty("silo").GetString()!).ToDictionary(g => g.Key, g => g.Count());
    }

    private static string Describe(Dictionary<string, int> served) => string.Join(", ", served.Select(s => $"{s.Key}: {s.Value}"));
}
