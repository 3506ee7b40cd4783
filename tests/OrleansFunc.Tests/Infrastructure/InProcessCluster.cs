using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OrleansFunc.Common;
using OrleansFunc.Storage;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using OrleansFunc.Hosting;
using Xunit;

namespace OrleansFunc.Tests.Infrastructure;

/// <summary>
/// The grains in a silo of this process, with the server's grain storage and the listings' rows in a database of the
/// test PostgreSQL and a clock the test moves (<see cref="Clock"/>): for rules that depend on time, tested
/// in milliseconds. What needs workers or HTTP is tested against the real server instead.
/// </summary>
public sealed class InProcessCluster : IAsyncLifetime
{
    /// <summary>The silo's TimeProvider; one per process, so the classes using it share one collection.</summary>
    public static FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.Zero));

    /// <summary>The settings the grains read; change them before the grain under test activates.</summary>
    public static OrleansFuncOptions Options { get; } = new() { DataFolder = TestPaths.NewTempFolder("in-process") };

    /// <summary>The database of the silo's stores (the silo is in this process, so it reads this at its start).</summary>
    private static string _connectionString = "";

    private TestCluster? _cluster;

    public IGrainFactory Grains => _cluster?.GrainFactory ?? throw new InvalidOperationException("The cluster is not started");

    /// <summary>The silo's services (its grain storage, its stores).</summary>
    public IServiceProvider SiloServices =>
        (_cluster?.Primary as InProcessSiloHandle)?.SiloHost.Services ?? throw new InvalidOperationException("The cluster is not started");

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync();
        await DatabaseBootstrapper.RunAsync(_connectionString, NullLogger.Instance);
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
            silo.AddAdoNetGrainStorage(OrleansFuncSiloExtensions.StorageName, o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = _connectionString;
            });
            silo.Services.AddSingleton<TimeProvider>(Clock);
            silo.Services.AddSingleton(Options);
            silo.Services.AddSingleton(_ => NpgsqlDataSource.Create(_connectionString));
            silo.Services.AddSingleton<DirectoryEntryStore>();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class InProcessClusterCollection : ICollectionFixture<InProcessCluster>
{
    public const string Name = "in-process cluster";
}
