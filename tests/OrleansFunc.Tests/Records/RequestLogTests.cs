using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Records;

/// <summary>The request log: slow and failed requests with their trace IDs, for administrators, bounded.</summary>
public sealed class RequestLogTests
{
    [Fact]
    public async Task SlowAndFailedRequests_AreLoggedWithTheirTraceIds_WithoutQueries_AndKeptBounded()
    {
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("web"), await TestPostgres.CreateDatabaseAsync());
        var environment = settings.ToEnvironment();
        environment["OrleansFunc__Telemetry__SlowRequestMs"] = "300";
        environment["OrleansFunc__Telemetry__RequestLogKept"] = "5";
        await using var server = await TestServer.StartAsync(settings, environment);
        var token = await server.SetUpAndSignInAsync();
        (await server.PostAsync("/api/v1/script-sets", new { id = "rl" }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts", new { id = "rl__main", codeDraft = "import time\n\n@DFF.API('Slow')\ndef slow():\n    time.sleep(0.5)\n    return 1\n" }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts/rl__main/publish", null, token)).AssertOk();

        using var missing = await server.Http.GetAsync("/api/v1/no-such-route?secret=hunter2");
        var missingTrace = missing.Headers.GetValues("X-Trace-Id").Single();
        var slow = await server.PostAsync("/api/v1/func/rl__main.slow", new { }, token);
        slow.AssertOk();
        var slowTrace = slow.Body.GetProperty("traceId").GetString();

        var all = await Eventually.ValueAsync("both requests in the log", () => ListAsync(server, token, "all"), entries => entries.Count >= 2);
        var failed = Assert.Single(all, e => e.GetProperty("traceId").GetString() == missingTrace);
        Assert.Equal(404, failed.GetProperty("statusCode").GetInt32());
        Assert.Equal("/api/v1/no-such-route", failed.GetProperty("path").GetString());
        Assert.False(failed.GetProperty("slow").GetBoolean());
        var slowEntry = Assert.Single(all, e => e.GetProperty("traceId").GetString() == slowTrace);
        Assert.Equal(200, slowEntry.GetProperty("statusCode").GetInt32());
        Assert.True(slowEntry.GetProperty("slow").GetBoolean());
        Assert.True(slowEntry.GetProperty("costMs").GetInt32() >= 300);
        Assert.All(await ListAsync(server, token, "slow"), e => Assert.True(e.GetProperty("slow").GetBoolean()));
        Assert.All(await ListAsync(server, token, "failed"), e => Assert.True(e.GetProperty("statusCode").GetInt32() >= 400));
        Assert.Equal(401, (await server.GetAsync("/api/v1/request-log")).Status);

        for (var n = 0; n < 8; n++)
        {
            using var _ = await server.Http.GetAsync($"/api/v1/no-such-route-{n}");
        }
        await Eventually.HoldsAsync("the log to keep its newest 5", async () =>
        {
            var entries = await ListAsync(server, token, "all");
            return entries.Count == 5 && entries[0].GetProperty("path").GetString() == "/api/v1/no-such-route-7";
        });
    }

    private static async Task<IReadOnlyList<JsonElement>> ListAsync(TestServer server, string token, string kind) =>
        (await server.GetAsync($"/api/v1/request-log?kind={kind}&pageSize=100", token)).AssertOk().EnumerateArray().ToList();
}
