using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Users;

/// <summary>Member management (SPEC U2) and sign-in throttling (reference 7.2).</summary>
[Collection(SharedServerCollection.Name)]
public sealed class MembersApiTests(SharedServerFixture fixture)
{
    private const string Password = "member-password";

    private TestServer Server => fixture.Server;
    private string Admin => fixture.AdminToken;

    private async Task<(string Id, string Username)> NewUserAsync(string role = "member")
    {
        var username = SharedServerFixture.UniqueId("mm");
        var user = (await Server.PostAsync("/api/v1/users", new { username, password = Password, role, name = "Grace" }, Admin)).AssertOk();
        Assert.Equal("Grace", user.GetProperty("name").GetString());
        return (user.GetProperty("id").GetString()!, username);
    }

    [Fact]
    public async Task Disabling_EndsEverySessionAtOnce_AndRefusesSignIn_UntilEnabled()
    {
        var (id, username) = await NewUserAsync();
        var first = await Server.SignInAsync(username, Password);
        var second = await Server.SignInAsync(username, Password);
        (await Server.GetAsync("/api/v1/me", first)).AssertOk();

        Assert.True((await Server.PatchAsync($"/api/v1/users/{id}", new { isDisabled = true }, Admin)).AssertOk().GetProperty("isDisabled").GetBoolean());
        (await Server.GetAsync("/api/v1/me", first)).AssertError(401.14);
        (await Server.GetAsync("/api/v1/me", second)).AssertError(401.14);
        // As a wrong password (not DataFlux Func's 401.16): the answer tells nobody that the account exists.
        (await Server.PostAsync("/api/v1/auth/sign-in", new { username, password = Password })).AssertError(400.12);

        (await Server.PatchAsync($"/api/v1/users/{id}", new { isDisabled = false }, Admin)).AssertOk();
        (await Server.GetAsync("/api/v1/me", first)).AssertError(401.14);
        (await Server.GetAsync("/api/v1/me", await Server.SignInAsync(username, Password))).AssertOk();
    }

    [Fact]
    public async Task PasswordReset_EndsSessions_AndTheNewPasswordWorks()
    {
        var (id, username) = await NewUserAsync();
        var before = await Server.SignInAsync(username, Password);
        (await Server.PatchAsync($"/api/v1/users/{id}", new { password = "short" }, Admin)).AssertError(400.43);
        (await Server.GetAsync("/api/v1/me", before)).AssertOk();

        (await Server.PatchAsync($"/api/v1/users/{id}", new { password = "a-new-password" }, Admin)).AssertOk();
        (await Server.GetAsync("/api/v1/me", before)).AssertError(401.14);
        (await Server.PostAsync("/api/v1/auth/sign-in", new { username, password = Password })).AssertError(400.12);
        (await Server.GetAsync("/api/v1/me", await Server.SignInAsync(username, "a-new-password"))).AssertOk();
    }

    [Fact]
    public async Task RoleChanges_ApplyToOpenSessions_AndMembersCannotManageMembers()
    {
        var (id, username) = await NewUserAsync();
        var token = await Server.SignInAsync(username, Password);
        (await Server.GetAsync("/api/v1/users", token)).AssertError(403.15);
        (await Server.PatchAsync($"/api/v1/users/{id}", new { role = "admin" }, token)).AssertError(403.15);

        (await Server.PatchAsync($"/api/v1/users/{id}", new { role = "admin" }, Admin)).AssertOk();
        (await Server.GetAsync("/api/v1/users", token)).AssertOk();
        (await Server.PatchAsync($"/api/v1/users/{id}", new { role = "member" }, Admin)).AssertOk();
        (await Server.GetAsync("/api/v1/users", token)).AssertError(403.15);
    }

    [Fact]
    public async Task FirstAdministrator_CannotBeDisabledOrDemoted_AndNobodyIsDeleted()
    {
        var firstAdminId = (await Server.GetAsync("/api/v1/me", Admin)).AssertOk().GetProperty("id").GetString()!;
        var (otherId, otherName) = await NewUserAsync("admin");
        var other = await Server.SignInAsync(otherName, Password);

        (await Server.PatchAsync($"/api/v1/users/{firstAdminId}", new { isDisabled = true }, other)).AssertError(403.21);
        (await Server.PatchAsync($"/api/v1/users/{firstAdminId}", new { role = "member" }, other)).AssertError(403.21);
        (await Server.PatchAsync($"/api/v1/users/{otherId}", new { isDisabled = true }, other)).AssertError(403.21);
        (await Server.DeleteAsync($"/api/v1/users/{otherId}", Admin)).AssertError(403.21);
        (await Server.GetAsync("/api/v1/me", Admin)).AssertOk();
        Assert.False((await Server.GetAsync($"/api/v1/users/{otherId}", Admin)).AssertOk().GetProperty("isDisabled").GetBoolean());
    }

    [Fact]
    public async Task TenWrongPasswordsInARow_LockTheUsername_EvenForTheRightPassword()
    {
        var (_, username) = await NewUserAsync();
        var unknown = SharedServerFixture.UniqueId("ghost");
        for (var attempt = 0; attempt < 10; attempt++)
        {
            (await Server.PostAsync("/api/v1/auth/sign-in", new { username, password = "wrong-password" })).AssertError(400.12);
            (await Server.PostAsync("/api/v1/auth/sign-in", new { username = unknown, password = "wrong-password" })).AssertError(400.12);
        }

        var locked = (await Server.PostAsync("/api/v1/auth/sign-in", new { username, password = Password })).AssertError(401.17);
        Assert.InRange(locked.Body.GetProperty("detail").GetProperty("waitSeconds").GetInt32(), 1, 60);
        Assert.Contains("try again in", locked.Body.GetProperty("message").GetString());
        // An unknown username locks the same way, so the lock tells nothing about which usernames exist.
        (await Server.PostAsync("/api/v1/auth/sign-in", new { username = unknown, password = "wrong-password" })).AssertError(401.17);

        var (_, other) = await NewUserAsync();
        await Server.SignInAsync(other, Password);
    }
}
