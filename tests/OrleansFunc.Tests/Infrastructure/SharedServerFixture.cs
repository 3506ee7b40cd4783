using Xunit;

namespace OrleansFunc.Tests.Infrastructure;

/// <summary>One server for the API tests, set up with an administrator; tests create uniquely named entities.</summary>
public sealed class SharedServerFixture : IAsyncLifetime
{
    private TestServer? _server;

    public TestServer Server => _server ?? throw new InvalidOperationException("The server is not started");

    public string AdminToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartOnSharedPostgresAsync();
        AdminToken = await _server.SetUpAndSignInAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A unique identifier for an entity of one test.</summary>
    public static string UniqueId(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 12, 40)];
}

[CollectionDefinition(Name)]
public sealed class SharedServerCollection : ICollectionFixture<SharedServerFixture>
{
    public const string Name = "shared server";
}
