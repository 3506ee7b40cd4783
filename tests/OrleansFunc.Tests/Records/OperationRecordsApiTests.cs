using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Records;

[Collection(SharedServerCollection.Name)]
public sealed class OperationRecordsApiTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private string Token => fixture.AdminToken;

    [Fact]
    public async Task EveryChange_IsRecordedWithWhoAndWhat_AndReadsAreNot()
    {
        var id = SharedServerFixture.UniqueId("rec");
        (await Server.PostAsync("/api/v1/script-sets", new { id }, Token)).AssertOk();
        (await Server.PatchAsync($"/api/v1/script-sets/{id}", new { title = "T" }, Token)).AssertOk();
        (await Server.GetAsync($"/api/v1/script-sets/{id}", Token)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{id}__a" }, Token)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{id}__a/publish", null, Token)).AssertOk();
        (await Server.DeleteAsync($"/api/v1/script-sets/{id}", Token)).AssertOk();
        (await Server.PostAsync("/api/v1/script-sets", new { id = "bad id" }, Token)).AssertError(400.43);

        var setRecords = (await Server.GetAsync($"/api/v1/operation-records?entityType=scriptSet&entityId={id}", Token)).AssertOk();
        Assert.Equal(["delete", "modify", "create"], setRecords.EnumerateArray().Select(r => r.GetProperty("action").GetString()!).ToArray());
        var first = setRecords[2];
        Assert.Equal(TestServer.AdminUsername, first.GetProperty("username").GetString());
        Assert.Equal("POST", first.GetProperty("method").GetString());

        var scriptRecords = (await Server.GetAsync($"/api/v1/operation-records?entityType=script&entityId={id}__a", Token)).AssertOk();
        Assert.Equal(["publish", "create"], scriptRecords.EnumerateArray().Select(r => r.GetProperty("action").GetString()!).ToArray());
    }

    [Fact]
    public async Task Records_KeepABodySummaryWithSecretsMasked_AndFilterByUserAndTime()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var username = SharedServerFixture.UniqueId("op");
        var user = (await Server.PostAsync("/api/v1/users", new { username, password = "a-secret-password", name = "Olga" }, Token)).AssertOk();
        var userId = user.GetProperty("id").GetString()!;
        var member = await Server.SignInAsync(username, "a-secret-password");
        (await Server.PostAsync("/api/v1/me/password", new { currentPassword = "a-secret-password", newPassword = "another-secret-1" }, member)).AssertOk();
        var envId = SharedServerFixture.UniqueId("OP_");
        (await Server.PostAsync("/api/v1/env-variables", new { id = envId, description = new string('d', 500), valueTEXT = "an-env-secret" }, member)).AssertOk();
        (await Server.PostAsync("/api/v1/auth/sign-out", null, member)).AssertOk();

        var created = (await Server.GetAsync($"/api/v1/operation-records?entityType=user&entityId={userId}", Token)).AssertOk();
        var summary = created.EnumerateArray().Single(r => r.GetProperty("action").GetString() == "create").GetProperty("bodySummary").GetString()!;
        Assert.Contains("\"name\":\"Olga\"", summary);
        Assert.Contains("\"password\":\"******\"", summary);
        Assert.DoesNotContain("a-secret-password", summary);

        var byMember = (await Server.GetAsync($"/api/v1/operation-records?user={username}&since={Uri.EscapeDataString(since.ToString("O"))}", Token))
            .AssertOk().EnumerateArray().ToList();
        Assert.Equal(["signOut", "create", "changePassword", "signIn"], byMember.Select(r => r.GetProperty("action").GetString()));
        Assert.All(byMember, r => Assert.Equal(userId, r.GetProperty("userId").GetString()));
        Assert.DoesNotContain("another-secret-1", string.Join(",", byMember.Select(r => r.GetRawText())));
        var envSummary = byMember[1].GetProperty("bodySummary").GetString()!;
        Assert.Contains("(500 characters)", envSummary);
        Assert.Contains("\"valueTEXT\":\"******\"", envSummary);
        Assert.DoesNotContain("an-env-secret", envSummary);

        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"));
        Assert.Empty((await Server.GetAsync($"/api/v1/operation-records?user={username}&since={future}", Token)).AssertOk().EnumerateArray());
        Assert.Empty((await Server.GetAsync($"/api/v1/operation-records?user={username}&until={Uri.EscapeDataString(since.ToString("O"))}", Token))
            .AssertOk().EnumerateArray());
    }

    [Fact]
    public async Task Records_ArePaged()
    {
        var page = await Server.GetAsync("/api/v1/operation-records?pageSize=1&pageNumber=2", Token);
        Assert.Equal(1, page.AssertOk().GetArrayLength());
        Assert.Equal(2, page.Body.GetProperty("pageInfo").GetProperty("pageNumber").GetInt32());
        Assert.False(page.Body.GetProperty("pageInfo").GetProperty("isFirstPage").GetBoolean());
        (await Server.GetAsync("/api/v1/operation-records?pageSize=1000", Token)).AssertError(400.43);
    }
}
