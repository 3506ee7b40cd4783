using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Hosting;

/// <summary>
/// Every host of a cluster keeps to its PostgreSQL connection budget under a burst: callers wait for a connection of
/// their host's share instead of failing, and no host holds more than its share (slow: a cluster, tagged Cron).
/// </summary>
[Trait("Category", "Cron")]
public sealed class ConnectionBudgetClusterTests
{
    private const int Budget = 8;

    [Fact]
    public async Task ABurstOfBatchCalls_WaitsForConnections_AndNoHostHoldsMoreThanItsBudget()
    {
        await using var cluster = await LocalCluster.StartAsync(webFronts: 2, silos: 1, $"OrleansFunc__Storage__ConnectionBudget={Budget}");
        var api = cluster.Balancer;
        var token = await api.SetUpAndSignInAsync();
        var set = SharedServerFixture.UniqueId("budget");
        (await api.PostAsync("/api/v1/script-sets", new { id = set }, token)).AssertOk();
        (await api.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = "@DFF.API('Double')\ndef double(n):\n    return n * 2\n" }, token))
            .AssertOk();
        (await api.PostAsync($"/api/v1/scripts/{set}__main/publish", null, token)).AssertOk();
        var batch = (await api.PostAsync("/api/v1/batches", new { funcId = $"{set}__main.double" }, token)).AssertOk().GetProperty("id").GetString()!;

        // 400 calls at once over the two WebFronts: far more than the 4 store connections each host has.
        var calls = await Task.WhenAll(Enumerable.Range(0, 400).Select(n => api.PostAsync($"/api/v1/bat/{batch}", new { kwargs = new { n } })));
        var tasks = calls.Select((call, n) => (n, Id: call.AssertOk().GetProperty("taskId").GetString()!)).ToList();
        foreach (var (n, id) in tasks.Where(t => t.n % 20 == 0))
        {
            var record = await api.WaitForTaskAsync(id, TimeSpan.FromSeconds(120));
            Assert.Equal(("success", n * 2), (record.GetProperty("status").GetString(), record.GetProperty("result").GetInt32()));
        }

        // Three hosts, each with its two pools (Orleans' and the stores'), each pool at most half the budget. A pool used
        // only now and then may have been pruned to no connection at one read (see OverviewApiTests): read until all six hold one.
        var holders = await Eventually.ValueAsync("each host's two pools to hold connections", async () =>
                (await api.GetAsync("/api/v1/overview", token)).AssertOk().GetProperty("databaseConnections").GetProperty("inUse").EnumerateArray()
                .Select(c => (Name: c.GetProperty("name").GetString()!, Count: c.GetProperty("connections").GetInt32()))
                .Where(c => c.Name.StartsWith("orleansfunc ", StringComparison.Ordinal)).ToList(),
            found => found.Count == 6, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));
        Assert.All(holders, h => Assert.True(h.Count <= Budget / 2, $"{h.Name} holds {h.Count} connections"));
    }
}
