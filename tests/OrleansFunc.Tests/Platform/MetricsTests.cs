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

        var scrape = await MetricsScrape.ReadAsync(Server);
        Assert.Equal(7, scrape.Sum("orleansfunc_func_calls_total", ("func_id", funcId), ("origin", "authLink"), ("outcome", "success")));
        Assert.Equal(3, scrape.Sum("orleansfunc_func_calls_total", ("func_id", funcId), ("origin", "authLink"), ("outcome", "failure")));
        Assert.Contains("orleansfunc_func_run_duration_seconds_bucket", scrape.Text);
        Assert.Contains("http_server_request_duration_seconds_bucket", scrape.Text);
        Assert.Contains("dotnet_gc_collections_total", scrape.Text);
        Assert.Contains("orleans_messaging", scrape.Text);

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

    [Fact]
    public async Task Metrics_ShowThePools_TheWorkersEnded_ThrottledCalls_AndTheQueue()
    {
        var set = SharedServerFixture.UniqueId("metrics");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, Token)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new
        {
            id = $"{set}__main",
            codeDraft = "import os\n\n@DFF.API('Hello')\ndef hello():\n    return 1\n\n@DFF.API('Crash')\ndef crash():\n    os._exit(1)\n",
        }, Token)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{set}__main/publish", null, Token)).AssertOk();
        var before = await MetricsScrape.ReadAsync(Server);

        // A link allowing 2 calls a minute, called 5 times within one minute of the clock (the windows are whole
        // minutes, as in DataFlux Func): 3 refusals.
        var link = (await Server.PostAsync("/api/v1/auth-links", new { funcId = $"{set}__main.hello", throttling = new { byMinute = 2 } }, Token))
            .AssertOk().GetProperty("id").GetString()!;
        await MinuteClock.WaitForSecondOfMinuteAsync(0, 45);
        var statuses = new List<int>();
        for (var n = 0; n < 5; n++)
        {
            statuses.Add((await Server.GetAsync($"/api/v1/al/{link}/simplified")).Status);
        }
        Assert.Equal([200, 200, 429, 429, 429], statuses);
        // Two crashes on the sync lane: two workers end, reason Crashed.
        for (var n = 0; n < 2; n++)
        {
            (await Server.PostAsync($"/api/v1/func/{set}__main.crash", new { }, Token)).AssertError(599.3);
        }
        // A batch call: its wait in the queue is measured on the batch lane.
        var batch = (await Server.PostAsync("/api/v1/batches", new { funcId = $"{set}__main.hello" }, Token)).AssertOk().GetProperty("id").GetString()!;
        var task = (await Server.PostAsync($"/api/v1/bat/{batch}", new { })).AssertOk().GetProperty("taskId").GetString()!;
        await Server.WaitForTaskAsync(task, TimeSpan.FromSeconds(30));

        var after = await Eventually.ValueAsync("the worker ends to be counted", () => MetricsScrape.ReadAsync(Server),
            scrape => Delta(scrape, before, "orleansfunc_worker_ends_total", ("lane", "sync"), ("reason", "Crashed")) >= 2);
        Assert.Equal(3, Delta(after, before, "orleansfunc_authlink_throttled_total", ("link_id", link)));
        Assert.True(Delta(after, before, "orleansfunc_worker_starts_total", ("lane", "sync")) >= 2, "the crashed workers were replaced");
        Assert.Equal(1, Delta(after, before, "orleansfunc_task_queue_wait_seconds_count", ("lane", "batch"), ("origin", "batch")));
        foreach (var lane in new[] { "sync", "debug", "cron", "batch" })
        {
            Assert.True(after.Sum("orleansfunc_worker_pool_size", ("lane", lane)) >= 1, $"the {lane} lane's size");
            Assert.True(after.Has("orleansfunc_worker_pool_busy", ("lane", lane)), $"the {lane} lane's busy workers");
            Assert.True(after.Has("orleansfunc_worker_pool_waiting", ("lane", lane)), $"the {lane} lane's waiting runs");
        }
        // The queue is read from the database when scraped (and kept 5 s): a later scrape has it.
        var queue = await Eventually.ValueAsync("the queue's gauges", () => MetricsScrape.ReadAsync(Server),
            scrape => scrape.Has("orleansfunc_task_queue_depth", ("lane", "batch")), TimeSpan.FromSeconds(20));
        Assert.True(queue.Has("orleansfunc_task_queue_oldest_wait_seconds", ("lane", "cron")));
    }

    private static double Delta(MetricsScrape after, MetricsScrape before, string name, params (string, string)[] labels) =>
        after.Sum(name, labels) - before.Sum(name, labels);

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
