using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using OrleansFunc.Tests.Infrastructure;
using OrleansFunc.Tests.Infrastructure.DataServers;
using Xunit;

namespace OrleansFunc.Tests.DataSources;

/// <summary>Data source CRUD: validated config, connectivity check first, write-only secrets (SPEC D1).</summary>
[Collection(SharedServerCollection.Name)]
public sealed class DataSourceApiTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private string Token => fixture.AdminToken;

    [Fact]
    public async Task Create_WithWorkingMariaDbConfig_SavesWithoutEverAnsweringThePassword()
    {
        var id = SharedServerFixture.UniqueId("my_");
        var config = await TestDataServers.MariaDbConfigAsync();
        var created = (await Server.PostAsync("/api/v1/data-sources", new { id, title = "Orders", type = "mysql", configJSON = config }, Token)).AssertOk();

        Assert.Equal("mysql", created.GetProperty("type").GetString());
        Assert.Equal(["password"], created.GetProperty("secretsSet").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal("utf8mb4", created.GetProperty("configJSON").GetProperty("charset").GetString());
        foreach (var answer in new[] { created.GetRawText(), (await Server.GetAsync($"/api/v1/data-sources/{id}", Token)).Text,
                     string.Join('\n', (await Server.ListAllAsync("/api/v1/data-sources", Token)).Select(s => s.GetRawText())) })
        {
            Assert.DoesNotContain(TestDataServers.Password, answer);
            Assert.Contains(id, answer);
        }
        (await Server.PostAsync("/api/v1/data-sources", new { id, type = "mysql", configJSON = config }, Token)).AssertError(409.42);
    }

    [Fact]
    public async Task Create_WithWrongPassword_IsRefusedWithTheDriversMessageAndNotSaved()
    {
        var id = SharedServerFixture.UniqueId("my_");
        var config = await TestDataServers.MariaDbConfigAsync();
        config["password"] = "not-the-password";

        var refused = (await Server.PostAsync("/api/v1/data-sources", new { id, type = "mysql", configJSON = config }, Token))
            .AssertError(400.43, "EClientBadRequest.ConnectingToDataSourceFailed");

        Assert.Contains("Access denied for user 'dff'", refused.Message);
        (await Server.GetAsync($"/api/v1/data-sources/{id}", Token)).AssertError(404.41);
    }

    [Fact]
    public async Task ASourceWhoseServerIsDown_IsSavedOnlyWhenTheCheckIsSkipped()
    {
        var id = SharedServerFixture.UniqueId("down_");
        var config = new Dictionary<string, object?> { ["host"] = "127.0.0.1", ["port"] = HostProcess.FreePort() };

        (await Server.PostAsync("/api/v1/data-sources", new { id, type = "redis", configJSON = config }, Token))
            .AssertError(400.43, "EClientBadRequest.ConnectingToDataSourceFailed");
        (await Server.GetAsync($"/api/v1/data-sources/{id}", Token)).AssertError(404.41);

        (await Server.PostAsync("/api/v1/data-sources", new { id, type = "redis", configJSON = config, skipTest = true }, Token)).AssertOk();
        var otherPort = HostProcess.FreePort();
        config["port"] = otherPort;
        (await Server.PatchAsync($"/api/v1/data-sources/{id}", new { configJSON = config }, Token))
            .AssertError(400.43, "EClientBadRequest.ConnectingToDataSourceFailed");
        var saved = (await Server.PatchAsync($"/api/v1/data-sources/{id}", new { configJSON = config, skipTest = true }, Token)).AssertOk();
        Assert.Equal(otherPort, saved.GetProperty("configJSON").GetProperty("port").GetInt32());
        // The check itself still says the truth.
        (await Server.PostAsync($"/api/v1/data-sources/{id}/check", new { }, Token)).AssertError(400.43, "EClientBadRequest.ConnectingToDataSourceFailed");
    }

    [Fact]
    public async Task Update_WithoutPassword_KeepsItAndAWrongOneIsRefused()
    {
        var config = await TestDataServers.MariaDbConfigAsync();
        var id = await fixture.CreateSourceAsync("mysql", config);
        config.Remove("password");
        config["charset"] = "utf8";

        var updated = (await Server.PatchAsync($"/api/v1/data-sources/{id}", new { configJSON = config }, Token)).AssertOk();
        Assert.Equal("utf8", updated.GetProperty("configJSON").GetProperty("charset").GetString());
        Assert.Equal(["password"], updated.GetProperty("secretsSet").EnumerateArray().Select(e => e.GetString()!).ToArray());

        config["password"] = "wrong";
        (await Server.PatchAsync($"/api/v1/data-sources/{id}", new { configJSON = config }, Token)).AssertError(400.43, "EClientBadRequest.ConnectingToDataSourceFailed");
        (await Server.PostAsync($"/api/v1/data-sources/{id}/check", new { }, Token)).AssertOk();

        var renamed = (await Server.PatchAsync($"/api/v1/data-sources/{id}", new { title = "Renamed" }, Token)).AssertOk();
        Assert.Equal("Renamed", renamed.GetProperty("title").GetString());
        Assert.Equal("utf8", renamed.GetProperty("configJSON").GetProperty("charset").GetString());
    }

    [Fact]
    public async Task Update_OfTheType_IsRefusedAndDeleteRemovesTheSource()
    {
        var id = await fixture.CreateSourceAsync("redis", await TestDataServers.RedisConfigAsync());

        (await Server.PatchAsync($"/api/v1/data-sources/{id}", new { type = "memcached" }, Token)).AssertError(400.43, "EClientBadRequest.TypeImmutable");
        (await Server.PatchAsync($"/api/v1/data-sources/{id}", new { type = "redis", title = "same type" }, Token)).AssertOk();
        (await Server.DeleteAsync($"/api/v1/data-sources/{id}", Token)).AssertOk();
        (await Server.GetAsync($"/api/v1/data-sources/{id}", Token)).AssertError(404.41);
        (await Server.DeleteAsync($"/api/v1/data-sources/{id}", Token)).AssertError(404.41);
        (await Server.PostAsync($"/api/v1/data-sources/{id}/check", new { }, Token)).AssertError(404.41);
    }

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "bad-id", """{"type":"redis","configJSON":{"host":"h"}}""", "InvalidId" },
        { "dataflux_x", """{"type":"redis","configJSON":{"host":"h"}}""", "InvalidId" },
        { "ok_id", """{"configJSON":{"host":"h"}}""", "MissingType" },
        { "ok_id", """{"type":"kafka","configJSON":{"host":"h"}}""", "" },
        { "ok_id", """{"type":"redis","configJSON":[1]}""", "InvalidConfig" },
        { "ok_id", """{"type":"redis","configJSON":{"host":"h","colour":"red"}}""", "UnknownConfigField" },
        { "ok_id", """{"type":"redis","configJSON":{"port":6379}}""", "MissingConfigField" },
        { "ok_id", """{"type":"redis","configJSON":{"host":"h","port":70000}}""", "InvalidConfigField" },
        { "ok_id", """{"type":"redis","configJSON":{"host":"h","useTLS":"yes"}}""", "InvalidConfigField" },
        { "ok_id", """{"type":"mysql","configJSON":{"host":"h","database":"d","user":"u"}}""", "MissingConfigField" },
        { "ok_id", """{"type":"memcached","configJSON":{"servers":"h:1,nope"}}""", "InvalidConfigField" },
        { "ok_id", """{"type":"nsq","configJSON":{}}""", "MissingConfigField" },
        { "ok_id", """{"type":"elasticsearch","configJSON":{"host":"h","protocol":"ftp"}}""", "InvalidConfigField" },
        { "ok_id", """{"type":"mqtt","configJSON":{"host":"h","port":1883,"topicHandlers":[{"topic":"t","funcId":"nope"}]}}""", "InvalidConfigField" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Create_WithBadFields_Is400_43AndSavesNothing(string idBase, string bodyWithoutId, string reason)
    {
        var id = idBase == "ok_id" ? SharedServerFixture.UniqueId("bad_") : idBase;
        var body = "{\"id\":" + JsonSerializer.Serialize(id) + "," + bodyWithoutId[1..];

        var answer = (await Server.PostAsync("/api/v1/data-sources", body, Token)).AssertError(400.43);

        if (reason != "")
        {
            Assert.Equal($"EClientBadRequest.{reason}", answer.Body.GetProperty("reason").GetString());
        }
        (await Server.GetAsync($"/api/v1/data-sources/{Uri.EscapeDataString(id)}", Token)).AssertError(404.41);
    }

    [Fact]
    public async Task Create_WithHandlerOfAMissingFunc_Is404AndSavesNothing()
    {
        var id = SharedServerFixture.UniqueId("mq_");
        var config = await TestDataServers.MqttConfigAsync();
        config["topicHandlers"] = new[] { new { topic = "a/#", funcId = "nosuchset__nosuch.handler" } };

        (await Server.PostAsync("/api/v1/data-sources", new { id, type = "mqtt", configJSON = config }, Token)).AssertError(404.41);
        (await Server.GetAsync($"/api/v1/data-sources/{id}", Token)).AssertError(404.41);
    }

    public static TheoryData<string, string, string> UnreachableTypes => new()
    {
        { "oracle", """{"host":"127.0.0.1","port":PORT,"database":"XE","user":"u","password":"p"}""", "refused" },
        { "sqlserver", """{"host":"127.0.0.1","port":PORT,"database":"d","user":"u","password":"p"}""", "Unable to connect" },
        { "mongodb", """{"host":"127.0.0.1","port":PORT}""", "refused" },
        { "elasticsearch", """{"host":"127.0.0.1","port":PORT}""", "refused" },
        { "nsq", """{"host":"127.0.0.1","port":PORT}""", "refused" },
        { "mqtt", """{"host":"127.0.0.1","port":PORT}""", "refused" },
    };

    /// <summary>Servers Debian does not package: the driver is wired and a refused connection is reported within the check's time.</summary>
    [Theory]
    [MemberData(nameof(UnreachableTypes))]
    public async Task Create_WhenNothingListens_IsRefusedWithTheDriversMessageWithinTheTimeout(string type, string config, string expected)
    {
        var port = OrleansFunc.Common.FreePorts.Find();
        var id = SharedServerFixture.UniqueId("down_");
        var body = $$"""{"id":"{{id}}","type":"{{type}}","configJSON":{{config.Replace("PORT", port.ToString())}}}""";
        var watch = Stopwatch.StartNew();

        var refused = (await Server.PostAsync("/api/v1/data-sources", body, Token)).AssertError(400.43, "EClientBadRequest.ConnectingToDataSourceFailed");

        Assert.Contains(expected, refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"The check took {watch.Elapsed}");
    }

    [Fact]
    public async Task DataSourceTypes_ListEveryTypeWithItsFields()
    {
        var types = (await Server.GetAsync("/api/v1/data-source-types", Token)).AssertOk();

        var names = types.EnumerateArray().Select(t => t.GetProperty("type").GetString()).ToHashSet();
        Assert.Equal(12, names.Count);
        var mysql = types.EnumerateArray().Single(t => t.GetProperty("type").GetString() == "mysql");
        var password = mysql.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "password");
        Assert.Equal("secret", password.GetProperty("kind").GetString());
    }

    /// <summary>A server of its own, to look at its database and data folder, and to restart it.</summary>
    [Fact]
    public async Task Secrets_AreEncryptedAtRestUnderAPrivateKeyFileThatOutlivesARestart()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        var dataFolder = TestPaths.NewTempFolder("data");
        var id = SharedServerFixture.UniqueId("my_");
        await using (var server = await TestServer.StartAsync(new TestServer.Settings(dataFolder, connectionString)))
        {
            var token = await server.SetUpAndSignInAsync();
            (await server.PostAsync("/api/v1/data-sources", new { id, type = "mysql", configJSON = await TestDataServers.MariaDbConfigAsync() }, token)).AssertOk();
        }

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            // Grain state and the listings' rows: every place an entity is stored.
            await using var rows = new NpgsqlCommand(
                "SELECT count(*) FILTER (WHERE position(@password IN payload) > 0), " +
                "count(*) FILTER (WHERE position(@id IN payload) > 0) FROM (" +
                "SELECT payloadbinary AS payload FROM orleansstorage WHERE payloadbinary IS NOT NULL " +
                "UNION ALL SELECT entry FROM of_directory_entries) stored", connection);
            rows.Parameters.AddWithValue("password", System.Text.Encoding.UTF8.GetBytes(TestDataServers.Password));
            rows.Parameters.AddWithValue("id", System.Text.Encoding.UTF8.GetBytes(id));
            await using var reader = await rows.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal(0, reader.GetInt64(0));
            Assert.True(reader.GetInt64(1) > 0, "the source's own row was not found, so the search proves nothing");
        }
        var keyFile = Path.Combine(dataFolder, "secret.key");
        Assert.Equal(32, new FileInfo(keyFile).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));

        await using (var restarted = await TestServer.StartAsync(new TestServer.Settings(dataFolder, connectionString)))
        {
            var token = await restarted.SignInAsync(TestServer.AdminUsername, TestServer.AdminPassword);
            (await restarted.PostAsync($"/api/v1/data-sources/{id}/check", new { }, token)).AssertOk();
        }
    }
}
