using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFunc.Tests.Infrastructure;
using OrleansFunc.Tests.Infrastructure.DataServers;
using Xunit;

namespace OrleansFunc.Tests.Security;

/// <summary>
/// Issue 17 item 9: a stored data source secret never travels to a place it was not typed for. A
/// member moves a PostgreSQL source to a listener of theirs without typing the password; a package
/// import moves one the same way.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class SecretsDestinationTests(SharedServerFixture fixture)
{
    private const string MemberPassword = "member-password-9";

    private TestServer Server => fixture.Server;

    private async Task<string> MemberTokenAsync()
    {
        var username = SharedServerFixture.UniqueId("sd");
        (await Server.PostAsync("/api/v1/users", new { username, password = MemberPassword, role = "member" }, fixture.AdminToken)).AssertOk();
        return await Server.SignInAsync(username, MemberPassword);
    }

    private async Task<(string Id, Dictionary<string, object> Config)> PostgresSourceAsync()
    {
        var config = await TestDataServers.PostgresConfigAsync();
        var id = SharedServerFixture.UniqueId("pgs_");
        (await Server.PostAsync("/api/v1/data-sources", new { id, type = "postgresql", configJSON = config }, fixture.AdminToken)).AssertOk();
        return (id, config);
    }

    private async Task AssertStoredUnchangedAsync(string id, Dictionary<string, object> config)
    {
        var stored = (await Server.GetAsync($"/api/v1/data-sources/{id}", fixture.AdminToken)).AssertOk();
        var storedConfig = stored.GetProperty("configJSON");
        Assert.Equal(config["host"].ToString(), storedConfig.GetProperty("host").GetString());
        Assert.Equal(Convert.ToInt32(config["port"]), storedConfig.GetProperty("port").GetInt32());
        Assert.Equal(config["user"].ToString(), storedConfig.GetProperty("user").GetString());
        Assert.Equal(["password"], stored.GetProperty("secretsSet").EnumerateArray().Select(e => e.GetString()!));
        (await Server.PostAsync($"/api/v1/data-sources/{id}/check", new { }, fixture.AdminToken)).AssertOk();
    }

    public static TheoryData<string> Moves => new() { "port", "host and port", "user" };

    [Theory]
    [MemberData(nameof(Moves))]
    public async Task Patch_MovingTheDestinationWithoutThePassword_IsRefusedBeforeAnythingConnects(string move)
    {
        await using var listener = new CapturingListener();
        var (id, config) = await PostgresSourceAsync();
        var member = await MemberTokenAsync();
        var moved = new Dictionary<string, object>(config);
        moved.Remove("password");
        var expectedFields = move switch
        {
            "port" => new[] { "configJSON.port" },
            "host and port" => ["configJSON.host", "configJSON.port"],
            _ => ["configJSON.user"],
        };
        if (move.Contains("port"))
        {
            moved["port"] = listener.Port;
        }
        if (move.Contains("host"))
        {
            moved["host"] = "localhost";
        }
        if (move == "user")
        {
            moved["user"] = "postgres";
        }

        var answer = await Server.PatchAsync($"/api/v1/data-sources/{id}", new { configJSON = moved }, member);

        Assert.DoesNotContain(TestDataServers.Password, listener.ReceivedText);
        Assert.Equal(0, listener.Connections);
        var refused = answer.AssertError(400.43, "EClientBadRequest.SecretNotTypedAgain");
        Assert.Equal(expectedFields, refused.Body.GetProperty("detail").GetProperty("fields").EnumerateArray().Select(f => f.GetString()!));
        Assert.Equal(["configJSON.password"], refused.Body.GetProperty("detail").GetProperty("secrets").EnumerateArray().Select(f => f.GetString()!));
        Assert.Contains("password", refused.Message);
        await AssertStoredUnchangedAsync(id, config);
    }

    [Fact]
    public async Task Patch_MovingTheDestinationWithThePasswordTypedAgain_SendsOnlyTheTypedOne()
    {
        await using var listener = new CapturingListener();
        var (id, config) = await PostgresSourceAsync();
        var member = await MemberTokenAsync();
        var moved = new Dictionary<string, object>(config) { ["port"] = listener.Port, ["password"] = "typed-for-the-listener" };

        // The listener is no database: the check fails, and the change with it.
        (await Server.PatchAsync($"/api/v1/data-sources/{id}", new { configJSON = moved }, member))
            .AssertError(400.43, "EClientBadRequest.ConnectingToDataSourceFailed");

        Assert.Contains("typed-for-the-listener", listener.ReceivedText);
        Assert.DoesNotContain(TestDataServers.Password, listener.ReceivedText);
        await AssertStoredUnchangedAsync(id, config);
    }

    [Fact]
    public async Task Patch_OfFieldsThatAreNoDestination_KeepsTheStoredPassword()
    {
        var (id, config) = await PostgresSourceAsync();
        var member = await MemberTokenAsync();
        var same = new Dictionary<string, object>(config) { ["charset"] = "latin1" };
        same.Remove("password");

        var updated = (await Server.PatchAsync($"/api/v1/data-sources/{id}", new { configJSON = same }, member)).AssertOk();

        Assert.Equal("latin1", updated.GetProperty("configJSON").GetProperty("charset").GetString());
        await AssertStoredUnchangedAsync(id, config);
    }

    [Fact]
    public async Task Import_ReplacingASourceWithAnotherDestination_ShowsEveryChangeAndDropsTheStoredPassword()
    {
        await using var listener = new CapturingListener();
        var admin = fixture.AdminToken;
        var (id, config) = await PostgresSourceAsync();
        var set = SharedServerFixture.UniqueId("sdp");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, admin)).AssertOk();
        var exported = (await Server.PostAsync("/api/v1/script-packages/export",
            new { scriptSetIds = new[] { set }, dataSourceIds = new[] { id } }, admin)).AssertOk();
        var package = WithSourceConfig(Convert.FromBase64String(exported.GetProperty("file").GetString()!), id, source =>
        {
            source["port"] = listener.Port;
            source["charset"] = "latin1";
        });

        var preview = (await Server.PostAsync("/api/v1/script-packages/import", new { file = Convert.ToBase64String(package) }, admin)).AssertOk();

        var entry = preview.GetProperty("diff").EnumerateArray().Single(d => d.GetProperty("type").GetString() == "dataSource");
        Assert.Equal("replace", entry.GetProperty("action").GetString());
        var changes = entry.GetProperty("configChanges").EnumerateArray()
            .Select(c => (c.GetProperty("field").GetString()!, c.GetProperty("before").GetString()!, c.GetProperty("after").GetString()!)).ToList();
        Assert.Equal([("port", config["port"].ToString()!, listener.Port.ToString()), ("charset", "\"utf8\"", "\"latin1\"")], changes);
        Assert.Equal(["password"], entry.GetProperty("secretsToTypeAgain").EnumerateArray().Select(s => s.GetString()!));
        await AssertStoredUnchangedAsync(id, config);

        (await Server.PostAsync($"/api/v1/script-packages/import/{preview.GetProperty("confirmId").GetString()}/confirm", null, admin)).AssertOk();

        var replaced = (await Server.GetAsync($"/api/v1/data-sources/{id}", admin)).AssertOk();
        Assert.Equal(listener.Port, replaced.GetProperty("configJSON").GetProperty("port").GetInt32());
        Assert.Empty(replaced.GetProperty("secretsSet").EnumerateArray());
        (await Server.PostAsync($"/api/v1/data-sources/{id}/check", new { }, admin)).AssertError(400.43, "EClientBadRequest.ConnectingToDataSourceFailed");
        Assert.DoesNotContain(TestDataServers.Password, listener.ReceivedText);
    }

    /// <summary>The exported package with one data source's config changed (the package is a plain zip).</summary>
    private static byte[] WithSourceConfig(byte[] package, string sourceId, Action<JsonObject> change)
    {
        using var buffer = new MemoryStream();
        buffer.Write(package);
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry("orleansfunc-package.json")!;
            JsonObject metadata;
            using (var reader = new StreamReader(entry.Open()))
            {
                metadata = JsonNode.Parse(reader.ReadToEnd())!.AsObject();
            }
            var source = metadata["dataSources"]!.AsArray().Single(s => (string?)s!["id"] == sourceId)!;
            var config = JsonNode.Parse((string)source["configJson"]!)!.AsObject();
            change(config);
            source["configJson"] = config.ToJsonString();
            entry.Delete();
            using var writer = zip.CreateEntry("orleansfunc-package.json").Open();
            writer.Write(Encoding.UTF8.GetBytes(metadata.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
        }
        return buffer.ToArray();
    }
}
