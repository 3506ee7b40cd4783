using System.Net;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Platform;

/// <summary>Orleans' dashboard: off unless asked for; when on, for administrators only.</summary>
public sealed class OrleansDashboardTests
{
    [Fact]
    public async Task TheDashboard_WhenOn_IsServedToAdministratorsOnly()
    {
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("web"), await TestPostgres.CreateDatabaseAsync());
        var environment = settings.ToEnvironment();
        environment["OrleansFunc__Telemetry__Dashboard"] = "true";
        await using var server = await TestServer.StartAsync(settings, environment);
        var admin = await server.SetUpAndSignInAsync();
        (await server.PostAsync("/api/v1/users", new { username = "viewer", password = "viewer-password-1", role = "member" }, admin)).AssertOk();
        var member = await server.SignInAsync("viewer", "viewer-password-1");

        // A client of its own: the server's client keeps the session cookies of the sign-ins above.
        using (var anonymous = new HttpClient { BaseAddress = server.Http.BaseAddress })
        using (var refused = await anonymous.GetAsync("/api/v1/orleans-dashboard/ClusterStats"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        Assert.Equal(403, (await server.GetAsync("/api/v1/orleans-dashboard/ClusterStats", member)).Status);
        var stats = (await server.GetAsync("/api/v1/orleans-dashboard/ClusterStats", admin));
        Assert.Equal(200, stats.Status);
        using var page = new HttpRequestMessage(HttpMethod.Get, "/api/v1/orleans-dashboard/") { Headers = { { "X-Dff-Auth-Token", admin } } };
        using var answer = await server.Http.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("index.min.js", await answer.Content.ReadAsStringAsync());

        // A browser opens the page with the console's session cookie and nothing else; elsewhere the cookie alone counts for nothing.
        using var browser = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = server.Http.BaseAddress };
        var cookie = $"dff_session={admin}";
        using var opened = new HttpRequestMessage(HttpMethod.Get, "/api/v1/orleans-dashboard/ClusterStats") { Headers = { { "Cookie", cookie } } };
        using var openedAnswer = await browser.SendAsync(opened);
        Assert.Equal(HttpStatusCode.OK, openedAnswer.StatusCode);
        using var elsewhere = new HttpRequestMessage(HttpMethod.Get, "/api/v1/users") { Headers = { { "Cookie", cookie } } };
        using var elsewhereAnswer = await browser.SendAsync(elsewhere);
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhereAnswer.StatusCode);
    }

    [Fact]
    public async Task TheDashboard_IsOffByDefault()
    {
        await using var server = await TestServer.StartOnSharedPostgresAsync();
        var admin = await server.SetUpAndSignInAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/orleans-dashboard/ClusterStats") { Headers = { { "X-Dff-Auth-Token", admin } } };
        using var answer = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
    }
}
