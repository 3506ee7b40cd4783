using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using OrleansFunc.Hosting;
using Xunit;

namespace OrleansFunc.Tests.Infrastructure;

/// <summary>
/// The grains in a silo of this process, with memory storage and a clock the test moves
/// (<see cref="Clock"/>): for rules that depend on time, tested in milliseconds. What needs
/// PostgreSQL, workers or HTTP is tested against the real server instead.
/// </summary>
public sealed class InProcessCluster : IAsyncLifetime
{
    /// <summary>The silo's TimeProvider; one per process, so the classes using it share one collection.</summary>
    public static FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.Zero));

    /// <summary>The settings the grains read; change them before the grain under test activates.</summary>
    public static OrleansFuncOptions Options { get; } = new() { DataFolder = TestPaths.NewTempFolder("in-process") };

    private TestCluster? _cluster;

    public IGrainFactory Grains => _cluster?.GrainFactory ?? throw new InvalidOperationException("The cluster is not started");

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddMemoryGrainStorage(OrleansFuncSiloExtensions.StorageName);
            silo.Services.AddSingleton<TimeProvider>(Clock);
            silo.Services.AddSingleton(Options);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class InProcessClusterCollection : ICollectionFixture<InProcessCluster>
{
    public const string Name = "in-process cluster";
}
