using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Platform;

[Collection(SharedServerCollection.Name)]
public sealed class EnvelopeTests(SharedServerFixture fixture)
{
    private static readonly HashSet<string> PublicRoutes =
    [
        "GET /healthz", "GET /ping", "GET /api/v1/setup", "POST /api/v1/setup", "POST /api/v1/auth/sign-in", "GET /api/v1/auth-link-func-list", "GET /api/v1/func-result",
        "GET /api/v1/auth-link-func-list/{id}/examples", "POST /api/v1/func/integration/sign-in",
    ];

    private TestServer Server => fixture.Server;

    [Fact]
    public async Task EveryAdminRoute_WithoutToken_Returns401_14()
    {
        var document = await Server.GetAsync("/swagger/v1/swagger.json");
        Assert.Equal(200, document.Status);
        var checkedRoutes = 0;
        foreach (var path in document.Body.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = operation.Name.ToUpperInvariant();
                var route = $"{method} {path.Name}";
                if (PublicRoutes.Contains(route) || path.Name.StartsWith("/api/v1/al/", StringComparison.Ordinal)
                    || path.Name.StartsWith("/api/v1/bat/", StringComparison.Ordinal))
                {
                    continue;
                }
                // Every placeholder filled with a value any route constraint takes (a number): authentication answers first.
                var url = System.Text.RegularExpressions.Regex.Replace(path.Name, @"\{[^}]+\}", "1");
                (await Server.SendAsync(new HttpMethod(method), url, method is "GET" or "DELETE" ? null : "{}")).AssertError(401.14, "EUserAuth");
                checkedRoutes++;
            }
        }
        Assert.True(checkedRoutes >= 15, $"only {checkedRoutes} admin routes in the OpenAPI document");
    }

    [Fact]
    public async Task SuccessEnvelope_HasTheFieldsOfTheSpec()
    {
        var response = await Server.GetAsync("/api/v1/me", fixture.AdminToken);
        response.AssertOk();
        foreach (var field in new[] { "ok", "error", "message", "data", "traceId", "reqTime", "respTime", "reqCost" })
        {
            Assert.True(response.Body.TryGetProperty(field, out _), $"missing '{field}' in {response.Text}");
        }
        Assert.Equal(200, response.Body.GetProperty("error").GetDouble());
    }

    [Fact]
    public async Task TraceId_FromTheCaller_IsEchoed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/nowhere");
        request.Headers.Add("X-Trace-Id", "my-trace-1");
        using var response = await Server.Http.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("my-trace-1", body.GetProperty("traceId").GetString());
        Assert.Equal("my-trace-1", response.Headers.GetValues("X-Trace-Id").Single());
    }

    [Theory]
    [InlineData("GET", "/api/v1/no-such-thing")]
    [InlineData("GET", "/api/nothing/here")]
    [InlineData("PUT", "/api/v1/script-sets")]
    [InlineData("POST", "/api/v1/me")]
    public async Task UnknownRouteOrMethod_Returns404_41(string method, string path)
    {
        var response = await Server.SendAsync(new HttpMethod(method), path, null, fixture.AdminToken);
        response.AssertError(404.41, "EClientNotFound");
        Assert.Equal(method, response.Body.GetProperty("detail").GetProperty("method").GetString());
    }

    [Theory]
    [InlineData("{bad json", "Invalid JSON body")]
    [InlineData("{\"id\": 12}", "'$.id' has the wrong type")]
    [InlineData("{\"id\": \"abc\", \"titel\": \"typo\"}", "unknown field 'titel'")]
    [InlineData("[1, 2]", "wrong type")]
    public async Task MalformedBody_Returns400_43WithWhatWasWrong(string body, string expected)
    {
        var response = await Server.PostAsync("/api/v1/script-sets", body, fixture.AdminToken);
        response.AssertError(400.43, "EClientBadRequest");
        Assert.Contains(expected, response.Message);
    }

    [Fact]
    public async Task NonJsonContentType_Returns400_43()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/script-sets")
        {
            Content = new StringContent("id=abc", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-Dff-Auth-Token", fixture.AdminToken);
        using var response = await Server.Http.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(400.43, body.GetProperty("error").GetDouble());
    }

    [Fact]
    public async Task OpenApi_AndHealth_AreServed()
    {
        var document = await Server.GetAsync("/swagger/v1/swagger.json");
        Assert.True(document.Body.GetProperty("paths").TryGetProperty("/api/v1/script-sets", out _));
        using var ui = await Server.Http.GetAsync("/swagger/index.html");
        Assert.Equal(200, (int)ui.StatusCode);
        var health = (await Server.GetAsync("/healthz")).AssertOk();
        Assert.Equal("healthy", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task OpenApi_IsServedUnderSwaggerOnly()
    {
        // Swagger's middlewares run on /swagger paths alone: the same tail under a public call route or in another case
        // is that route's answer (an envelope), never the document.
        foreach (var path in new[] { "/api/v1/al/swagger/v1/swagger.json", "/x/swagger/v1/swagger.json" })
        {
            var answer = await Server.GetAsync(path);
            Assert.False(answer.Body.TryGetProperty("paths", out _), path);
            Assert.False(answer.Body.GetProperty("ok").GetBoolean(), path);
        }
        var document = await Server.GetAsync("/SWAGGER/v1/swagger.json");
        Assert.True(document.Body.TryGetProperty("paths", out _));
    }
}
