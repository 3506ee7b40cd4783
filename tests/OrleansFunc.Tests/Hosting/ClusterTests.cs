using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Hosting;

/// <summary>WebFront and a headless Silo on one PostgreSQL form one cluster.</summary>
public sealed class ClusterTests
{
    [Fact]
    public async Task WebFrontAndSilo_OnOnePostgres_FormACluster_AndShareGrains()
    {
        await using var hosts = await TwoHosts.StartAsync();
        var (web, token) = (hosts.Web, hosts.Token);

        // Grains placed on either silo answer through WebFront.
        var ids = Enumerable.Range(0, 20).Select(i => $"cl{i}").ToList();
        foreach (var id in ids)
        {
            (await web.PostAsync("/api/v1/script-sets", new { id, title = id }, token)).AssertOk();
            (await web.PostAsync("/api/v1/scripts", new { id = $"{id}__s" }, token)).AssertOk();
        }
        foreach (var id in ids)
        {
            Assert.Equal(1, (await web.GetAsync($"/api/v1/script-sets/{id}", token)).AssertOk().GetProperty("scriptCount").GetInt32());
        }
    }

    [Fact]
    public async Task WebFrontInClientMode_ServesTheApiFromAHeadlessSilo()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        var clusterId = $"c{Guid.NewGuid():N}";
        var webSettings = new TestServer.Settings(TestPaths.NewTempFolder("client"), connectionString, clusterId);
        var environment = webSettings.ToEnvironment();
        environment["OrleansFunc__Cluster__Mode"] = "Client";
        // The client starts first and waits for the silo.
        var webStart = TestServer.StartAsync(webSettings, environment);
        var siloSettings = new TestServer.Settings(TestPaths.NewTempFolder("silo"), connectionString, clusterId);
        await using var silo = HostProcess.Start(TestPaths.SiloDll, siloSettings.ToEnvironment());
        await using var web = await webStart;

        var token = await web.SetUpAndSignInAsync();
        (await web.PostAsync("/api/v1/script-sets", new { id = "via_client" }, token)).AssertOk();
        var members = (await web.GetAsync("/api/v1/about", token)).AssertOk().GetProperty("clusterMembers");
        Assert.Equal(1, members.GetArrayLength());
        Assert.Equal("via_client", (await web.GetAsync("/api/v1/script-sets/via_client", token)).AssertOk().GetProperty("id").GetString());
    }
}
