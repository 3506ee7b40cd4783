using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansFunc.Common;
using OrleansFunc.Engine;

namespace OrleansFunc.Stats;

/// <summary>
/// Every five seconds, sends this host's pools and call counts to the cluster's statistics grain: the
/// overview lists every member of the cluster with its worker pools.
/// </summary>
public sealed class HostReporter(
    IServiceProvider services, CallCounters counters, IGrainFactory grains, TimeProvider clock, ILogger<HostReporter> logger)
    : PeriodicBackgroundService(TimeSpan.FromSeconds(5), firstRoundAtStart: false, LogLevel.Debug, logger)
{
    private const int SlowestFuncs = 10;

    /// <summary>A silo by its address (as runs name it in <c>_DFF_SILO</c>), then the machine and process.</summary>
    private readonly string _host = (services.GetService<LocalRunner>()?.SiloName ?? "client") +
        $" on {Environment.MachineName}:{Environment.ProcessId}";

    protected override async Task RunRoundAsync(CancellationToken stoppingToken)
    {
        // Only silos run workers; a WebFront client reports its calls alone.
        var engine = services.GetService<PythonEngine>();
        var pools = engine is null ? [] : await engine.StatusAsync();
        var (calls, funcs) = counters.LastHour(SlowestFuncs);
        await grains.GetGrain<IClusterStatsGrain>(IClusterStatsGrain.Key)
            .ReportAsync(new HostReport(_host, clock.GetUtcNow(), pools, calls, funcs,
                services.GetService<PythonPackages.PythonPackageSite>()?.Current.Generation));
    }
}
