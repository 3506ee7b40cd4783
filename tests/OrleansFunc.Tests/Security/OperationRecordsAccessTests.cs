using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using OrleansFunc.Tests.Infrastructure.DataServers;
using Xunit;

namespace OrleansFunc.Tests.Security;

/// <summary>
/// Issue 17 item 22: the audit trail is for administrators, never holds a secret value, and records
/// editor runs and refused changes too.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class OperationRecordsAccessTests(SharedServerFixture fixture)
{
    private const string MemberPassword = "member-password-22";

    private TestServer Server => fixture.Server;
    private string Admin => fixture.AdminToken;

    private async Task<(string Username, string Token)> MemberAsync()
    {
        var username = SharedServerFixture.UniqueId("orm");
        (await Server.PostAsync("/api/v1/users", new { username, password = MemberPassword, role = "member" }, Admin)).AssertOk();
        return (username, await Server.SignInAsync(username, MemberPassword));
    }

    private async Task<List<JsonElement>> RecordsOfAsync(string username) =>
        (await Server.GetAsync($"/api/v1/operation-records?user={username}&pageSize=100", Admin)).AssertOk().EnumerateArray().ToList();

    [Fact]
    public async Task Members_CannotReadTheRecords()
    {
        var (_, member) = await MemberAsync();

        (await Server.GetAsync("/api/v1/operation-records", member)).AssertError(403.15);
        (await Server.GetAsync("/api/v1/operation-records", Admin)).AssertOk();
        // The overview's recent operations are the same records: a member's overview has none.
        Assert.Equal(0, (await Server.GetAsync("/api/v1/overview", member)).AssertOk().GetProperty("recentOperations").GetArrayLength());
        Assert.InRange((await Server.GetAsync("/api/v1/overview", Admin)).AssertOk().GetProperty("recentOperations").GetArrayLength(), 1, 10);
    }

    [Fact]
    public async Task Records_MaskEnvValuesDataSourceSecretsAndSecretNamedFieldsAtAnyDepth()
    {
        var (username, member) = await MemberAsync();
        var envId = SharedServerFixture.UniqueId("ORM_");
        (await Server.PostAsync("/api/v1/env-variables", new { id = envId, valueTEXT = "env-value-that-is-a-secret" }, member)).AssertOk();
        (await Server.PatchAsync($"/api/v1/env-variables/{envId}", new { valueTEXT = "changed-env-secret" }, member)).AssertOk();
        var source = SharedServerFixture.UniqueId("orm_");
        var config = await TestDataServers.PostgresConfigAsync();
        (await Server.PostAsync("/api/v1/data-sources", new { id = source, type = "postgresql", configJSON = config }, member)).AssertOk();
        var set = SharedServerFixture.UniqueId("orms");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, member)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = "@DFF.API('F')\ndef f(**kw):\n    return 1\n" }, member)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{set}__main/publish", null, member)).AssertOk();
        (await Server.PostAsync("/api/v1/auth-links", new
        {
            id = $"{set}-link", funcId = $"{set}__main.f",
            funcCallKwargs = new { apiKey = "kwarg-api-key", nested = new { service = new { accessToken = "kwarg-token", secret_value = "kwarg-secret" } } },
        }, member)).AssertOk();

        var records = await RecordsOfAsync(username);
        var text = string.Join("\n", records.Select(r => r.GetRawText()));
        foreach (var secret in new[] { "env-value-that-is-a-secret", "changed-env-secret", TestDataServers.Password, "kwarg-api-key", "kwarg-token", "kwarg-secret" })
        {
            Assert.DoesNotContain(secret, text);
        }
        string Summary(string entityType, string action) => records.First(r =>
            r.GetProperty("entityType").GetString() == entityType && r.GetProperty("action").GetString() == action).GetProperty("bodySummary").GetString()!;
        Assert.Contains("\"valueTEXT\":\"******\"", Summary("envVariable", "create"));
        Assert.Contains("\"valueTEXT\":\"******\"", Summary("envVariable", "modify"));
        Assert.Contains("\"password\":\"******\"", Summary("dataSource", "create"));
        Assert.Contains($"\"host\":\"{config["host"]}\"", Summary("dataSource", "create"));
        Assert.Contains("\"apiKey\":\"******\"", Summary("authLink", "create"));
        Assert.Contains("\"accessToken\":\"******\"", Summary("authLink", "create"));
    }

    [Fact]
    public async Task EditorRuns_AreRecordedWithTheirKwargsMasked()
    {
        var (username, member) = await MemberAsync();
        var set = SharedServerFixture.UniqueId("ormr");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, member)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = "def f(token=None, n=0):\n    return n\n" }, member)).AssertOk();

        (await Server.PostAsync($"/api/v1/scripts/{set}__main/run", new { funcName = "f", kwargs = new { token = "run-token-value", n = 7 } }, member)).AssertOk();

        var run = Assert.Single(await RecordsOfAsync(username), r => r.GetProperty("action").GetString() == "run");
        Assert.Equal("script", run.GetProperty("entityType").GetString());
        Assert.Equal($"{set}__main", run.GetProperty("entityId").GetString());
        Assert.Equal(200, run.GetProperty("statusCode").GetInt32());
        var summary = run.GetProperty("bodySummary").GetString()!;
        Assert.Contains("\"token\":\"******\"", summary);
        Assert.Contains("\"n\":7", summary);
    }

    [Fact]
    public async Task RefusedChanges_AreRecordedWithTheirErrorCode()
    {
        var (username, member) = await MemberAsync();
        var set = SharedServerFixture.UniqueId("ormf");

        (await Server.PostAsync("/api/v1/script-sets", new { id = "bad id", title = set }, member)).AssertError(400.43);
        (await Server.DeleteAsync($"/api/v1/script-sets/{set}", member)).AssertError(404.41);
        (await Server.PostAsync("/api/v1/users", new { username = set, password = "whatever-password" }, member)).AssertError(403.15);

        var records = await RecordsOfAsync(username);
        var refused = records.Where(r => r.GetProperty("statusCode").GetInt32() >= 400)
            .Select(r => (r.GetProperty("entityType").GetString()!, r.GetProperty("action").GetString()!, r.GetProperty("statusCode").GetInt32(),
                r.GetProperty("errorCode").GetDouble(), r.GetProperty("errorReason").GetString()!))
            .ToList();
        Assert.Equal([
            ("user", "create", 403, 403.15, "EUserPrivilege"),
            ("scriptSet", "delete", 404, 404.41, "EClientNotFound.NoSuchScriptSet"),
            ("scriptSet", "create", 400, 400.43, "EClientBadRequest.InvalidId"),
        ], refused);
        var badCreate = records.Single(r => r.GetProperty("statusCode").GetInt32() == 400);
        Assert.Contains(set, badCreate.GetProperty("bodySummary").GetString());
        Assert.Equal($"{set}", records.Single(r => r.GetProperty("statusCode").GetInt32() == 404).GetProperty("entityId").GetString());
        Assert.DoesNotContain("whatever-password", string.Join("\n", records.Select(r => r.GetRawText())));
    }
}
