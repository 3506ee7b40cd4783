using System.Net.Http.Headers;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Users;

/// <summary>
/// Access keys for machines: made by an administrator and shown once, working wherever a sign-in token works, acting as
/// their owner with at most their role, named in operation records, and stopped at once by a revoke, an expiry or the
/// owner's disable.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class AccessKeyTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private string Admin => fixture.AdminToken;

    private async Task<string> MemberAsync()
    {
        var username = SharedServerFixture.UniqueId("ci");
        return (await Server.PostAsync("/api/v1/users", new { username, password = "member-password-1", role = "member" }, Admin)).AssertOk()
            .GetProperty("id").GetString()!;
    }

    private async Task<(string Id, string Token)> KeyAsync(object body)
    {
        var made = (await Server.PostAsync("/api/v1/access-keys", body, Admin)).AssertOk();
        return (made.GetProperty("key").GetProperty("id").GetString()!, made.GetProperty("token").GetString()!);
    }

    [Fact]
    public async Task AKey_WorksLikeASignIn_AsItsOwner_AndIsNamedInOperationRecords()
    {
        var owner = await MemberAsync();
        var (id, token) = await KeyAsync(new { name = "ci-deploy", ownerId = owner, role = "member" });
        Assert.StartsWith("ofk_", token);

        // In the sign-in header, or as a bearer token.
        var me = (await Server.GetAsync("/api/v1/me", token)).AssertOk();
        Assert.Equal(owner, me.GetProperty("id").GetString());
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/v1/scripts") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Server.Http.SendAsync(bearer)).StatusCode);
        (await Server.GetAsync("/api/v1/users", token)).AssertError(403.15);

        var set = SharedServerFixture.UniqueId("ak");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, token)).AssertOk();
        var record = (await Server.GetAsync($"/api/v1/operation-records?entityId={set}", Admin)).AssertOk().EnumerateArray().Single();
        Assert.Contains("access key ci-deploy", record.GetProperty("username").GetString());

        // Listed without any secret; its last use shows.
        var listed = (await Server.ListAllAsync("/api/v1/access-keys", Admin)).Single(k => k.GetProperty("id").GetString() == id);
        Assert.DoesNotContain(token[^20..], listed.GetRawText());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, (await Server.GetAsync($"/api/v1/access-keys/{id}", Admin)).AssertOk().GetProperty("lastUseTime").ValueKind);
        (await Server.PostAsync("/api/v1/me/password", new { currentPassword = "member-password-1", newPassword = "other-password-2" }, token))
            .AssertError(403.21, "EBizCondition.AccessKeyNotForPassword");
    }

    [Fact]
    public async Task ARevokedKey_StopsAtOnce_AndAWrongOrMalformedOneNeverWorks()
    {
        var (id, token) = await KeyAsync(new { name = "to-revoke", role = "admin" });
        (await Server.GetAsync("/api/v1/users", token)).AssertOk();

        (await Server.PostAsync($"/api/v1/access-keys/{id}/revoke", null, Admin)).AssertOk();
        var refused = (await Server.GetAsync("/api/v1/me", token)).AssertError(401.14, "EUserAuth");
        Assert.Contains("revoked", refused.Message);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null,
            (await Server.GetAsync($"/api/v1/access-keys/{id}", Admin)).AssertOk().GetProperty("revokeTime").ValueKind);

        var (_, other) = await KeyAsync(new { name = "for-guessing" });
        (await Server.GetAsync("/api/v1/me", other[..^4] + "AAAA")).AssertError(401.14);
        (await Server.GetAsync("/api/v1/me", "ofk_not-a-key")).AssertError(401.14);
        (await Server.GetAsync("/api/v1/me", "ofk_0123456789abcdef_" + new string('x', 43))).AssertError(401.14);
    }

    [Fact]
    public async Task AKey_NeverDoesMoreThanItsOwner_AndStopsWithTheOwnersDisable()
    {
        var owner = await MemberAsync();
        var (_, token) = await KeyAsync(new { name = "over-reaching", ownerId = owner, role = "admin" });
        Assert.Equal("member", (await Server.GetAsync("/api/v1/me", token)).AssertOk().GetProperty("role").GetString());
        (await Server.GetAsync("/api/v1/users", token)).AssertError(403.15);

        (await Server.PatchAsync($"/api/v1/users/{owner}", new { isDisabled = true }, Admin)).AssertOk();
        (await Server.GetAsync("/api/v1/me", token)).AssertError(401.14);
    }

    [Fact]
    public async Task AnExpiredKey_DoesNotWork_AndOnlyAdministratorsMakeThem()
    {
        var (_, token) = await KeyAsync(new { name = "short-lived", expireTime = DateTimeOffset.UtcNow.AddSeconds(3) });
        (await Server.GetAsync("/api/v1/me", token)).AssertOk();
        await Eventually.HoldsAsync("the key has expired", async () => (await Server.GetAsync("/api/v1/me", token)).Status == 401, TimeSpan.FromSeconds(15));

        var memberKey = (await KeyAsync(new { name = "member-key", ownerId = await MemberAsync() })).Token;
        (await Server.PostAsync("/api/v1/access-keys", new { name = "self-made" }, memberKey)).AssertError(403.15);
        (await Server.PostAsync("/api/v1/access-keys", new { name = "" }, Admin)).AssertError(400.43, "EClientBadRequest.MissingName");
        (await Server.PostAsync("/api/v1/access-keys", new { name = "past", expireTime = DateTimeOffset.UtcNow.AddDays(-1) }, Admin))
            .AssertError(400.43, "EClientBadRequest.ExpiredAlready");
        (await Server.PostAsync("/api/v1/access-keys", new { name = "nobody", ownerId = "u-none" }, Admin)).AssertError(404.41);
    }
}
