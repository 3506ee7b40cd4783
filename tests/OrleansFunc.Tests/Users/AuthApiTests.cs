using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Users;

[Collection(SharedServerCollection.Name)]
public sealed class AuthApiTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task Setup_WhenAUserExists_IsRefusedAndCreatesNoUser()
    {
        var username = SharedServerFixture.UniqueId("root");
        (await Server.PostAsync("/api/v1/setup", new { username, password = "another-password" }))
            .AssertError(403.21, "EBizCondition.AlreadySetUp");
        (await Server.PostAsync("/api/v1/auth/sign-in", new { username, password = "another-password" }))
            .AssertError(400.12, "EUserPassword");
        Assert.True((await Server.GetAsync("/api/v1/setup")).AssertOk().GetProperty("isSetUp").GetBoolean());
    }

    [Fact]
    public async Task SignIn_WithWrongPasswordOrUnknownUser_Returns400_12()
    {
        (await Server.PostAsync("/api/v1/auth/sign-in", new { username = TestServer.AdminUsername, password = "wrong-password" }))
            .AssertError(400.12, "EUserPassword");
        (await Server.PostAsync("/api/v1/auth/sign-in", new { username = "nobody-here", password = "wrong-password" }))
            .AssertError(400.12, "EUserPassword");
        (await Server.PostAsync("/api/v1/auth/sign-in", new { username = "admin" }))
            .AssertError(400.43, "EClientBadRequest");
    }

    [Fact]
    public async Task Token_WorksInBothHeaders_AndSignOutRevokesIt()
    {
        var token = await Server.SignInAsync(TestServer.AdminUsername, TestServer.AdminPassword);
        Assert.Equal(TestServer.AdminUsername, (await Server.GetAsync("/api/v1/me", token)).AssertOk().GetProperty("username").GetString());

        using (var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me"))
        {
            bearer.Headers.Authorization = new("Bearer", token);
            using var response = await Server.Http.SendAsync(bearer);
            Assert.Equal(200, (int)response.StatusCode);
        }

        (await Server.PostAsync("/api/v1/auth/sign-out", null, token)).AssertOk();
        (await Server.GetAsync("/api/v1/me", token)).AssertError(401.14, "EUserAuth");
        (await Server.GetAsync("/api/v1/me", "dff_made-up-token")).AssertError(401.14, "EUserAuth");
    }

    [Fact]
    public async Task ChangePassword_NeedsTheCurrentPassword_ThenTheNewOneSignsIn()
    {
        var admin = fixture.AdminToken;
        var username = SharedServerFixture.UniqueId("pw");
        (await Server.PostAsync("/api/v1/users", new { username, password = "first-password", role = "member" }, admin)).AssertOk();
        var token = await Server.SignInAsync(username, "first-password");

        (await Server.PostAsync("/api/v1/me/password", new { currentPassword = "not-it-at-all", newPassword = "second-password" }, token))
            .AssertError(400.12);
        (await Server.PostAsync("/api/v1/me/password", new { currentPassword = "first-password", newPassword = "short" }, token))
            .AssertError(400.43, "EClientBadRequest.WeakPassword");
        await Server.SignInAsync(username, "first-password");

        (await Server.PostAsync("/api/v1/me/password", new { currentPassword = "first-password", newPassword = "second-password" }, token))
            .AssertOk();
        (await Server.PostAsync("/api/v1/auth/sign-in", new { username, password = "first-password" })).AssertError(400.12);
        await Server.SignInAsync(username, "second-password");
    }

    [Fact]
    public async Task Profile_CanBeChanged_AndBadValuesChangeNothing()
    {
        var admin = fixture.AdminToken;
        var username = SharedServerFixture.UniqueId("pf");
        (await Server.PostAsync("/api/v1/users", new { username, password = "profile-password" }, admin)).AssertOk();
        var token = await Server.SignInAsync(username, "profile-password");

        var changed = (await Server.PatchAsync("/api/v1/me", new { name = "Ada", email = "ada@example.org" }, token)).AssertOk();
        Assert.Equal("Ada", changed.GetProperty("name").GetString());

        (await Server.PatchAsync("/api/v1/me", new { name = new string('n', 51) }, token)).AssertError(400.43);
        (await Server.PatchAsync("/api/v1/me", new { email = "not-an-address" }, token)).AssertError(400.43);
        var me = (await Server.GetAsync("/api/v1/me", token)).AssertOk();
        Assert.Equal("Ada", me.GetProperty("name").GetString());
        Assert.Equal("ada@example.org", me.GetProperty("email").GetString());
        Assert.Equal("member", me.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Users_AreForAdministratorsOnly_AndUsernamesAreUnique()
    {
        var admin = fixture.AdminToken;
        var username = SharedServerFixture.UniqueId("mb");
        (await Server.PostAsync("/api/v1/users", new { username, password = "member-password" }, admin)).AssertOk();
        (await Server.PostAsync("/api/v1/users", new { username, password = "member-password" }, admin)).AssertError(409.42);
        (await Server.PostAsync("/api/v1/users", new { username = "has space", password = "member-password" }, admin)).AssertError(400.43);

        var member = await Server.SignInAsync(username, "member-password");
        (await Server.GetAsync("/api/v1/users", member)).AssertError(403.15, "EUserPrivilege");
        (await Server.PostAsync("/api/v1/users", new { username = username + "x", password = "member-password" }, member))
            .AssertError(403.15);
    }
}
