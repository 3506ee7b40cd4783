using System.Net;
using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Platform;

/// <summary>
/// Liveness and readiness as load balancers and Kubernetes ask them, on a WebFront and on a headless silo's
/// operations port (which also serves its metrics, to the scrape token only).
/// </summary>
public sealed class HealthProbeTests
{
    [Fact]
    public async Task AHeadlessSilo_AnswersProbesAndMetrics_OnItsOperationsPort_AndNothingElse()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        var clusterId = $"c{Guid.NewGuid():N}";
        await using var web = await TestServer.StartAsync(new TestServer.Settings(TestPaths.NewTempFolder("web"), connectionString, clusterId));
        var siloSettings = new TestServer.Settings(TestPaths.NewTempFolder("silo"), connectionString, clusterId);
        var environment = siloSettings.ToEnvironment();
        var operationsPort = HostProcess.FreePort();
        environment["OrleansFunc__Telemetry__OperationsPort"] = operationsPort.ToString();
        environment["OrleansFunc__Telemetry__OrleansMetrics"] = "true";
        await using var silo = HostProcess.Start(TestPaths.SiloDll, environment);
        using var operations = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{operationsPort}") };

        var ready = await Eventually.ValueAsync("the silo to be ready", async () =>
        {
            try
            {
                using var answer = await operations.GetAsync("/healthz/ready");
                return (StatusCode: answer.StatusCode, Body: JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.Clone());
            }
            catch (HttpRequestException)
            {
                return (StatusCode: HttpStatusCode.ServiceUnavailable, Body: default(JsonElement));
            }
        }, answer => answer.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(90));
        Assert.Equal("ok", ready.Body.GetProperty("database").GetString());
        Assert.Equal("ok", ready.Body.GetProperty("cluster").GetString());
        Assert.Equal("ok", ready.Body.GetProperty("workers").GetString());
        using (var live = await operations.GetAsync("/healthz/live"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        // Metrics: the silo's own pools, to the scrape token of its data folder only; no API on this port.
        using (var anonymous = await operations.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);
        }
        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics")
        {
            Headers = { { "Authorization", $"Bearer {File.ReadAllText(Path.Combine(siloSettings.DataFolder, "metrics.token")).Trim()}" } },
        };
        using var scraped = await operations.SendAsync(scrape);
        var metrics = MetricsScrape.Parse(await scraped.EnsureSuccessStatusCode().Content.ReadAsStringAsync());
        Assert.Equal(1, metrics.Sum("orleansfunc_worker_pool_size", ("lane", "sync")));
        Assert.Contains("orleans_messaging", metrics.Text);
        using (var api = await operations.GetAsync("/api/v1/about"))
        {
            Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        }
    }

    [Fact]
    public async Task Readiness_FailsWhileTheSyncLaneHasNoWorker_WhileLivenessHolds()
    {
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("web"), await TestPostgres.CreateDatabaseAsync());
        var environment = settings.ToEnvironment();
        environment["OrleansFunc__Engine__WorkerPath"] = "/nonexistent/orleansfunc/PythonWorker.dll";
        await using var web = await TestServer.StartAsync(settings, environment, probe: "/healthz/live");

        var ready = await web.GetAsync("/healthz/ready");
        Assert.Equal(503, ready.Status);
        var health = ready.Body.GetProperty("data");
        Assert.Equal("unhealthy", health.GetProperty("status").GetString());
        Assert.Equal("ok", health.GetProperty("database").GetString());
        Assert.StartsWith("failing: the sync lane has no live worker", health.GetProperty("workers").GetString());
        Assert.Equal(503, (await web.GetAsync("/healthz")).Status);
        Assert.Equal(200, (await web.GetAsync("/healthz/live")).Status);
    }
}
