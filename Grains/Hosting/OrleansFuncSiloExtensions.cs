using Orleans.Hosting.Kubernetes;
using Orleans.Dashboard;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Orleans.Configuration;
using OrleansFunc.Common;
using OrleansFunc.Crontabs;
using OrleansFunc.DataSources;
using OrleansFunc.Engine;
using OrleansFunc.Funcs;
using OrleansFunc.Records;
using OrleansFunc.Scripts;

namespace OrleansFunc.Hosting;

/// <summary>The one place that says how a silo or client of OrleansFunc is configured.</summary>
public static class OrleansFuncSiloExtensions
{
    /// <summary>
    /// Grain state provider name used by every grain. The ADO.NET provider keys rows by state name
    /// and grain key only, not grain type: every grain class must use its own state name.
    /// </summary>
    public const string StorageName = "pg";

    private const string Invariant = "Npgsql";

    /// <summary>Configures a silo: ADO.NET clustering, grain storage and reminders on PostgreSQL.</summary>
    public static ISiloBuilder UseOrleansFunc(this ISiloBuilder silo, OrleansFuncOptions options, string connectionString)
    {
        var connections = Budget(options, connectionString);
        connectionString = connections.ForOrleans;
        var cluster = options.Cluster;
        silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            })
            .ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress),
                PortOrFree(cluster.SiloPort), PortOrFree(cluster.GatewayPort), listenOnAnyHostAddress: false)
            .UseAdoNetClustering(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = connectionString;
            })
            .AddAdoNetGrainStorage(StorageName, o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = connectionString;
            })
            .UseAdoNetReminderService(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = connectionString;
            });
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = cluster.ProbeTimeout;
            o.NumMissedProbesLimit = cluster.MissedProbesLimit;
            o.TableRefreshTimeout = cluster.MembershipRefresh;
        });
        if (ClusterTls.LoadCertificate(options) is { } certificate)
        {
            silo.UseTls(certificate, tls => ClusterTls.Configure(tls, certificate));
        }
        silo.Services.AddOrleansFuncServices(options, connections.ForStores);
        silo.AddOutgoingGrainCallFilter<RepeatOnLostSilo>();
        if (options.Telemetry.Tracing && options.Telemetry.TraceGrainCalls)
        {
            silo.AddActivityPropagation();
        }
        if (options.Telemetry.Dashboard)
        {
            silo.AddDashboard();
        }
        if (cluster.Kubernetes)
        {
            silo.UseKubernetesHosting();
        }
        silo.Services.AddSingleton<PythonPackages.PythonPackageSite>();
        silo.Services.AddSingleton<PythonPackages.PackageSetBuilder>();
        silo.Services.AddSingleton<PythonEngine>();
        silo.Services.AddHostedService(services => services.GetRequiredService<PythonEngine>());
        silo.Services.AddSingleton<EngineCallbacks>();
        silo.Services.AddSingleton<LocalRunner>();
        silo.Services.AddHostedService<SiloLeaving>();
        silo.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = cluster.DrainTimeout);
        silo.AddPlacementDirector<SiloTargetedPlacement, SiloTargetedPlacementDirector>();
        silo.Services.AddSingleton<SecretBox>();
        silo.Services.AddHostedService<TaskDispatcher>();
        silo.Services.AddHostedService<RecordRetention>();
        silo.Services.AddHostedService<PythonPackages.PythonPackageSync>();
        silo.Services.AddSingleton<CrontabRuns>();
        silo.Services.AddSingleton<CrontabPauses>();
        silo.AddStartupTask<CrontabStarter>();
        silo.AddStartupTask<Funcs.AutoRunStarter>();
        return silo;
    }

    /// <summary>Configures a client that reaches the cluster's gateways through the membership table.</summary>
    public static IClientBuilder UseOrleansFuncClient(this IClientBuilder client, OrleansFuncOptions options, string connectionString)
    {
        var connections = Budget(options, connectionString);
        connectionString = connections.ForOrleans;
        client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.Cluster.ClusterId;
                o.ServiceId = options.Cluster.ServiceId;
            })
            .UseAdoNetClustering(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = connectionString;
            })
            .Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = options.Cluster.MembershipRefresh)
            // Wait for the silos instead of failing the start, so hosts can start in any order.
            .UseConnectionRetryFilter(async (_, cancellationToken) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
                return true;
            });
        if (ClusterTls.LoadCertificate(options) is { } certificate)
        {
            client.UseTls(certificate, tls => ClusterTls.Configure(tls, certificate));
        }
        client.Services.AddOrleansFuncServices(options, connections.ForStores);
        client.AddOutgoingGrainCallFilter<RepeatOnLostSilo>();
        if (options.Telemetry.Tracing && options.Telemetry.TraceGrainCalls)
        {
            client.AddActivityPropagation();
        }
        if (options.Telemetry.Dashboard)
        {
            client.AddDashboard();
        }
        return client;
    }

    /// <summary>Services every host shares: settings and the record tables.</summary>
    private static void AddOrleansFuncServices(this IServiceCollection services, OrleansFuncOptions options, string connectionString)
    {
        services.TryAddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.TryAddSingleton<Operations.Readiness>();
        services.TryAddSingleton<OperationRecordStore>();
        services.TryAddSingleton<PublishHistoryStore>();
        services.TryAddSingleton<ScriptExecution>();
        services.TryAddSingleton<Funcs.FuncCallers>();
        services.TryAddSingleton<AutoRuns>();
        services.TryAddSingleton<SignInFuncs>();
        services.TryAddSingleton<PublishedCodeCache>();
        services.TryAddSingleton<CallEntryViews>();
        services.TryAddSingleton<FuncRunner>();
        services.TryAddSingleton<ClusterSilos>();
        services.TryAddSingleton<GrainReferences>();
        services.TryAddSingleton<DataSourceProbe>();
        services.TryAddSingleton<FuncInvoker>();
        services.TryAddSingleton<TaskRecordStore>();
        services.TryAddSingleton<FailureFollowUps>();
        services.TryAddSingleton<DirectoryEntryStore>();
        services.TryAddSingleton<RestorePointStore>();
        services.TryAddSingleton<FuncStore>();
        services.TryAddSingleton<PythonPackages.PythonPackageStore>();
        services.TryAddSingleton<ImportHistoryStore>();
        services.TryAddSingleton<TaskQueueSignal>();
        services.TryAddSingleton<SyncTaskRecorder>();
        services.AddHostedService(provider => provider.GetRequiredService<SyncTaskRecorder>());
        services.TryAddSingleton<Stats.CallCounters>();
        services.AddMetrics();
        services.TryAddSingleton<Telemetry.FuncMetrics>();
        services.TryAddSingleton<Telemetry.WorkerMetrics>();
        services.TryAddSingleton<Telemetry.QueueMetrics>();
        services.TryAddSingleton<Telemetry.TriggerMetrics>();
        services.AddHostedService<Stats.HostReporter>();
        services.TryAddSingleton<Cache.HostCaches>();
        services.AddHostedService(provider => provider.GetRequiredService<Cache.HostCaches>());
    }

    private static ConnectionBudget Budget(OrleansFuncOptions options, string connectionString) =>
        ConnectionBudget.Split(connectionString, options.Storage.ConnectionBudget, $"{Environment.MachineName}:{Environment.ProcessId}");

    private static int PortOrFree(int port) => port != 0 ? port : FreePorts.Find();
}
