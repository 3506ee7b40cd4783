using OrleansFunc.Tests.Infrastructure;
using OrleansFunc.Tests.Infrastructure.DataServers;
using Xunit;

namespace OrleansFunc.Tests.DataSources;

/// <summary>The debug panel: queries with bounded results, and structure browsing (SPEC D3).</summary>
[Collection(SharedServerCollection.Name)]
public sealed class DebugPanelTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private string Token => fixture.AdminToken;

    [Fact]
    public async Task Query_OnMariaDb_ReturnsColumnsAndRowsCutAtTheLimit()
    {
        var source = await fixture.CreateSourceAsync("mysql", await TestDataServers.MariaDbConfigAsync());

        var small = (await Server.PostAsync($"/api/v1/data-sources/{source}/query", new { command = "SELECT 1 AS a, 'x' AS b" }, Token)).AssertOk();
        Assert.Equal(["a", "b"], small.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToArray());
        Assert.Equal("x", small.GetProperty("rows")[0].GetProperty("b").GetString());
        Assert.False(small.GetProperty("truncated").GetBoolean());

        var large = (await Server.PostAsync($"/api/v1/data-sources/{source}/query", new { command = "SELECT seq FROM seq_1_to_5000" }, Token)).AssertOk();
        Assert.Equal(1000, large.GetProperty("rows").GetArrayLength());
        Assert.True(large.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task Query_OnClickHouse_IsCutAtTheLimitAndStructureListsDatabases()
    {
        var source = await fixture.CreateSourceAsync("clickhouse", await TestDataServers.ClickHouseConfigAsync());

        var large = (await Server.PostAsync($"/api/v1/data-sources/{source}/query", new { command = "SELECT number FROM system.numbers LIMIT 100000" }, Token)).AssertOk();
        Assert.Equal(1000, large.GetProperty("rows").GetArrayLength());
        Assert.True(large.GetProperty("truncated").GetBoolean());
        var databases = (await Server.GetAsync($"/api/v1/data-sources/{source}/structure", Token)).AssertOk();
        Assert.Equal(["default", "system"], databases.GetProperty("items").EnumerateArray().Select(d => d.GetString()!).ToArray());
    }

    [Fact]
    public async Task Query_WithBadSqlOrNoCommand_Is400_43WithTheDriversMessage()
    {
        var source = await fixture.CreateSourceAsync("mysql", await TestDataServers.MariaDbConfigAsync());

        var failed = (await Server.PostAsync($"/api/v1/data-sources/{source}/query", new { command = "SELEKT nothing" }, Token))
            .AssertError(400.43, "EClientBadRequest.DataSourceQueryFailed");
        Assert.Contains("You have an error in your SQL syntax", failed.Message);
        (await Server.PostAsync($"/api/v1/data-sources/{source}/query", new { command = " " }, Token)).AssertError(400.43, "EClientBadRequest.MissingCommand");
        (await Server.PostAsync("/api/v1/data-sources/no_such_source_x/query", new { command = "SELECT 1" }, Token)).AssertError(404.41);
    }

    [Fact]
    public async Task Query_TakingTooLong_IsStoppedWithAClearError()
    {
        var source = await fixture.CreateSourceAsync("mysql", await TestDataServers.MariaDbConfigAsync());

        var stopped = (await Server.PostAsync($"/api/v1/data-sources/{source}/query", new { command = "SELECT SLEEP(40)" }, Token))
            .AssertError(400.43, "EClientBadRequest.DataSourceQueryFailed");

        Assert.True(stopped.Message.Contains("30 s"), stopped.Message);
    }

    [Fact]
    public async Task Structure_OfMariaDb_ListsDatabasesTablesAndColumns()
    {
        var source = await fixture.CreateSourceAsync("mysql", await TestDataServers.MariaDbConfigAsync());
        var table = SharedServerFixture.UniqueId("panel_").ToLowerInvariant();
        (await Server.PostAsync($"/api/v1/data-sources/{source}/query", new { command = $"CREATE TABLE {table} (id INT, label TEXT)" }, Token)).AssertOk();

        var databases = (await Server.GetAsync($"/api/v1/data-sources/{source}/structure", Token)).AssertOk();
        Assert.Equal("databases", databases.GetProperty("level").GetString());
        Assert.Contains(TestDataServers.Database, databases.GetProperty("items").EnumerateArray().Select(d => d.GetString()));
        var tables = (await Server.GetAsync($"/api/v1/data-sources/{source}/structure?database={TestDataServers.Database}", Token)).AssertOk();
        Assert.Contains(table, tables.GetProperty("items").EnumerateArray().Select(d => d.GetString()));
        var columns = (await Server.GetAsync($"/api/v1/data-sources/{source}/structure?database={TestDataServers.Database}&table={table}", Token)).AssertOk();
        Assert.Equal(["id", "label"], columns.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToArray());
    }

    [Fact]
    public async Task Query_OnRedis_RunsACommandAndStructureListsKeys()
    {
        var source = await fixture.CreateSourceAsync("redis", await TestDataServers.RedisConfigAsync());
        var key = SharedServerFixture.UniqueId("panel");

        (await Server.PostAsync($"/api/v1/data-sources/{source}/query", new { command = $"SET {key} \"two words\"" }, Token)).AssertOk();
        var got = (await Server.PostAsync($"/api/v1/data-sources/{source}/query", new { command = $"GET {key}" }, Token)).AssertOk();

        Assert.Equal("two words", got.GetProperty("result").GetString());
        var keys = (await Server.GetAsync($"/api/v1/data-sources/{source}/structure", Token)).AssertOk();
        Assert.Contains(key, keys.GetProperty("items").EnumerateArray().Select(k => k.GetString()));
    }

    [Fact]
    public async Task Structure_OfMemcached_Is400_43()
    {
        var source = await fixture.CreateSourceAsync("memcached", await TestDataServers.MemcachedConfigAsync());

        (await Server.GetAsync($"/api/v1/data-sources/{source}/structure", Token)).AssertError(400.43, "EClientBadRequest.NoStructure");
    }
}
