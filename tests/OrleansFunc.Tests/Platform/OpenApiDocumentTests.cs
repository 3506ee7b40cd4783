using System.Text.Json.Nodes;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Platform;

/// <summary>The console's API types are generated from a copy of the OpenAPI document; the copy must be current.</summary>
[Collection(SharedServerCollection.Name)]
public sealed class OpenApiDocumentTests(SharedServerFixture fixture)
{
    [Fact]
    public async Task ConsoleCopyOfTheDocument_IsWhatTheServerDescribes()
    {
        var served = JsonNode.Parse((await fixture.Server.GetAsync("/swagger/v1/swagger.json")).Text);
        var copy = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(TestPaths.RepositoryRoot, "WebFront", "ClientApp", "openapi.json")));
        Assert.True(JsonNode.DeepEquals(served, copy),
            "WebFront/ClientApp/openapi.json differs from /swagger/v1/swagger.json: with the server running, run `npm run api-types` in WebFront/ClientApp and build again");
    }
}
