using System.Net;
using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Platform;

/// <summary>WebFront serves the web console at "/" and its routes, and keeps API answers apart.</summary>
[Collection(SharedServerCollection.Name)]
public sealed class WebConsoleTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;

    private async Task<(HttpStatusCode Status, string? MediaType, string Body)> GetAsync(string path)
    {
        using var response = await Server.Http.GetAsync(path);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/sign-in")]
    [InlineData("/development/scripts/demo__basic/edit")]
    [InlineData("/management/auth-links")]
    public async Task BrowserRoute_AnswersTheConsolePage(string path)
    {
        var (status, mediaType, body) = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/html", mediaType);
        Assert.Contains("<div id=\"app\"></div>", body);
    }

    [Fact]
    public async Task ConsoleScript_NamedByThePage_IsServed()
    {
        var (_, _, page) = await GetAsync("/");
        var script = System.Text.RegularExpressions.Regex.Match(page, "src=\"(/assets/[^\"]+\\.js)\"").Groups[1].Value;
        var (status, mediaType, _) = await GetAsync(script);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/javascript", mediaType);
    }

    [Theory]
    [InlineData("/api/v1/no-such-route")]
    [InlineData("/assets/no-such-file.js")]
    public async Task UnknownApiRouteOrFile_IsNotThePage_But404_41(string path)
    {
        var (status, _, body) = await GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(404.41, JsonDocument.Parse(body).RootElement.GetProperty("error").GetDouble());
    }
}
