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

        Assert.Equal(401, (await server.GetAsync("/orleans-dashboard/ClusterStats")).Status);
        Assert.Equal(403, (await server.GetAsync("/orleans-dashboard/ClusterStats", member)).Status);
        var stats = (await server.GetAsync("/orleans-dashboard/ClusterStats", admin));
        Assert.Equal(200, stats.Status);
        using var page = new HttpRequestMessage(HttpMethod.Get, "/orleans-dashboard/") { Headers = { { "X-Dff-Auth-Token", admin } } };
        using var answer = await server.Http.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("index.min.js", await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheDashboard_IsOffByDefault()
    {
        await using var server = await TestServer.StartOnSharedPostgresAsync();
        var admin = await server.SetUpAndSignInAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orleans-dashboard/ClusterStats") { Headers = { { "X-Dff-Auth-Token", admin } } };
        using var answer = await server.Http.SendAsync(request);
        Assert.NotEqual("application/json", answer.Content.Headers.ContentType?.MediaType);
    }
}
