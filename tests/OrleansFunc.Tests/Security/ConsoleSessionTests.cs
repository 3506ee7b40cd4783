using System.Net;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Security;

/// <summary>
/// The console's session is an HttpOnly cookie that counts only on the console's own requests, and
/// the console and API answer with the usual security headers.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class ConsoleSessionTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;

    private async Task<string> SignInCookieAsync()
    {
        using var response = await Server.Http.PostAsync("/api/v1/auth/sign-in", System.Net.Http.Json.JsonContent.Create(
            new { username = TestServer.AdminUsername, password = TestServer.AdminPassword }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("dff_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        return cookie.Split(';')[0];
    }

    private async Task<HttpStatusCode> GetMeAsync(string cookie, bool fromConsole)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Add("Cookie", cookie);
        if (fromConsole)
        {
            request.Headers.Add("X-Dff-Console", "1");
        }
        using var response = await Server.Http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task SessionCookie_CountsOnlyWithTheConsolesHeader()
    {
        var cookie = await SignInCookieAsync();

        Assert.Equal(HttpStatusCode.OK, await GetMeAsync(cookie, fromConsole: true));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetMeAsync(cookie, fromConsole: false));
    }

    [Fact]
    public async Task SignOut_ClearsTheCookieAndEndsTheSession()
    {
        var cookie = await SignInCookieAsync();
        using var signOut = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/sign-out");
        signOut.Headers.Add("Cookie", cookie);
        signOut.Headers.Add("X-Dff-Console", "1");

        using var response = await Server.Http.SendAsync(signOut);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("dff_session=;", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetMeAsync(cookie, fromConsole: true));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/development")]
    public async Task ConsolePages_AreNotFramable_AndRunOnlyTheirOwnScripts(string path)
    {
        using var response = await Server.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
    }

    [Fact]
    public async Task ApiErrors_CarryTheSecurityHeadersToo()
    {
        using var response = await Server.Http.GetAsync("/api/v1/no-such-route");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }
}
