using Xunit;

namespace OrleansFunc.Tests.Infrastructure.DataServers;

/// <summary>Stops the data source servers when the tests that share them are done.</summary>
public sealed class DataServersCleanup : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        ServerProcess.StopAll();
        return Task.CompletedTask;
    }
}
