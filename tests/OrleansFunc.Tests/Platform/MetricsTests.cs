using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using OrleansFunc.Tests.Infrastructure.DataServers;
using Xunit;

namespace OrleansFunc.Tests.Platform;

/// <summary>
/// <c>GET /metrics</c> as a real Prometheus (Debian's) scrapes it: the calls a test makes are counted by func and
/// outcome, next to ASP.NET Core's, the runtime's and Orleans' own instruments (SPEC O3).
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class MetricsTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private string Token => fixture.AdminToken;

    [Fact]
    public async Task Prometheus_CountsTheCallsByFuncAndOutcome()
    {
        var set = SharedServerFixture.UniqueId("metrics");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, Token)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new
        {
            id = $"{set}__main",
            codeDraft = "@DFF.API('Check')\ndef check(n):\n    if int(n) < 0:\n        raise ValueError(n)\n    return n\n",
        }, Token)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{set}__main/publish", null, Token)).AssertOk();
        var funcId = $"{set}__main.check";
        var link = (await Server.PostAsync("/api/v1/auth-links", new { funcId }, Token)).AssertOk().GetProperty("id").GetString()!;
        for (var n = 0; n < 7; n++)
        {
            Assert.Equal(200, (await Server.GetAsync($"/api/v1/al/{link}/simplified?n={n}")).Status);
        }
        for (var n = 1; n <= 3; n++)
        {
            (await Server.GetAsync($"/api/v1/al/{link}/simplified?n=-{n}")).AssertError(599.3);
        }

        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "Authorization", $"Bearer {MetricsToken.Of(Server)}" } } };
        using var scraped = await Server.Http.SendAsync(scrape);
        var text = await scraped.EnsureSuccessStatusCode().Content.ReadAsStringAsync();
        var lines = text.Split('\n');
        Assert.Contains(lines, line => line.StartsWith("orleansfunc_func_calls_total{", StringComparison.Ordinal) && line.Contains($"func_id=\"{funcId}\"")
                                       && line.Contains("origin=\"authLink\"") && line.Contains("outcome=\"success\"") && line.EndsWith(" 7"));
        Assert.Contains("orleansfunc_func_run_duration_seconds_bucket", text);
        Assert.Contains("http_server_request_duration_seconds_bucket", text);
        Assert.Contains("dotnet_gc_collections_total", text);
        Assert.Contains("orleans_", text);

        var prometheus = await StartPrometheusAsync(Server.Http.BaseAddress!, MetricsToken.Of(Server));
        try
        {
            using var query = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{prometheus.Port}") };
            // Prometheus listens before it serves queries (503 until its storage is open).
            await Eventually.HoldsAsync("Prometheus to be ready", async () =>
            {
                using var ready = await query.GetAsync("/-/ready");
                return ready.IsSuccessStatusCode;
            }, TimeSpan.FromSeconds(60));
            var counts = await Eventually.ValueAsync("Prometheus to have scraped the calls", async () =>
            {
                var promQl = Uri.EscapeDataString($"sum by (outcome) (orleansfunc_func_calls_total{{func_id=\"{funcId}\"}})");
                using var answer = JsonDocument.Parse(await query.GetStringAsync($"/api/v1/query?query={promQl}"));
                return answer.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
                    .ToDictionary(r => r.GetProperty("metric").GetProperty("outcome").GetString()!, r => r.GetProperty("value")[1].GetString()!);
            }, found => found.Count == 2, TimeSpan.FromSeconds(60));
            Assert.Equal(new Dictionary<string, string> { ["success"] = "7", ["failure"] = "3" }, counts);
        }
        finally
        {
            prometheus.Stop();
        }
    }

    /// <summary>Prometheus scraping <paramref name="target"/> every second with the scrape token, its data in a folder of its own.</summary>
    private static async Task<ServerProcess> StartPrometheusAsync(Uri target, string token)
    {
        var folder = await ServerProcess.NewFolderAsync("prometheus");
        var config = Path.Combine(folder, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: orleansfunc
                authorization:
                  credentials: "{token}"
                static_configs:
                  - targets: ["{target.Authority}"]
            """);
        var port = OrleansFunc.Common.FreePorts.Find();
        return await ServerProcess.StartAsync(folder, port, "prometheus", $"--config.file={config}",
            $"--storage.tsdb.path={Path.Combine(folder, "data")}", $"--web.listen-address=127.0.0.1:{port}");
    }
}
