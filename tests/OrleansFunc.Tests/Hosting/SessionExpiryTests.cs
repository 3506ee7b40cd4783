using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Hosting;

/// <summary>Sign-in tokens expire after an idle period (sliding) and at a maximum age.</summary>
public sealed class SessionExpiryTests
{
    [Fact]
    public async Task Token_UnusedForTheIdleTimeout_Expires_AndUseSlidesIt()
    {
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("expiry"), await TestPostgres.CreateDatabaseAsync());
        var environment = settings.ToEnvironment();
        environment["OrleansFunc__Auth__SessionIdleTimeout"] = "00:00:03";
        environment["OrleansFunc__Auth__SessionMaxAge"] = "00:00:30";
        await using var server = await TestServer.StartAsync(settings, environment);
        var idle = await server.SetUpAndSignInAsync();
        var used = await server.SignInAsync(TestServer.AdminUsername, TestServer.AdminPassword);

        // Use one token every second for four seconds: it stays valid past the idle timeout.
        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            (await server.GetAsync("/api/v1/me", used)).AssertOk();
        }
        (await server.GetAsync("/api/v1/me", idle)).AssertError(401.14, "EUserAuth");
        (await server.GetAsync("/api/v1/me", used)).AssertOk();
    }
}
