using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Runtime;
using OrleansFunc.Engine;

namespace OrleansFunc.Hosting.Operations;

/// <summary>
/// Whether this host should be given work (readiness, for load balancers and Kubernetes): the database answers,
/// its silo is an active member of the cluster (a client-only WebFront: the cluster has one), the sync lane has a
/// live worker (on a host with an engine), and the host is not stopping. Liveness asks nothing of them: a host
/// whose database is away is not helped by a restart.
/// </summary>
public sealed class Readiness(IServiceProvider services, NpgsqlDataSource database, IGrainFactory grains, IHostApplicationLifetime lifetime)
{
    public const string Ok = "ok";
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    /// <param name="Workers">The sync lane's live workers ("ok"), or why not; "none here" on a host without an engine.</param>
    public sealed record Health(string Status, string Database, string Cluster, string Workers);

    public async Task<Health> CheckAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        var databaseStatus = await ProbeAsync(async () =>
        {
            await using var command = database.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
        });
        var clusterStatus = await ProbeAsync(() => RequireMemberAsync(timeout.Token));
        var engine = services.GetService<PythonEngine>();
        var workersStatus = engine is null ? "none here" : await ProbeAsync(async () =>
        {
            var sync = (await engine.StatusAsync().WaitAsync(timeout.Token)).Single(pool => pool.Lane == Lane.Sync.WireName());
            if (sync.Live == 0)
            {
                throw new InvalidOperationException("the sync lane has no live worker");
            }
        });
        var ready = databaseStatus == Ok && clusterStatus == Ok && (workersStatus is Ok or "none here")
                    && !lifetime.ApplicationStopping.IsCancellationRequested;
        return new Health(ready ? "healthy" : "unhealthy", databaseStatus, clusterStatus, workersStatus);
    }

    /// <summary>This host's silo is active; a client-only host: some silo is.</summary>
    private async Task RequireMemberAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<ISiloStatusOracle>() is { } oracle)
        {
            if (oracle.CurrentStatus != SiloStatus.Active)
            {
                throw new InvalidOperationException($"this silo is {oracle.CurrentStatus}");
            }
            return;
        }
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(cancellationToken);
        if (hosts.Count == 0)
        {
            throw new InvalidOperationException("no active silo");
        }
    }

    private static async Task<string> ProbeAsync(Func<Task> probe)
    {
        try
        {
            await probe();
            return Ok;
        }
        catch (Exception failure)
        {
            return $"failing: {failure.Message}";
        }
    }
}
