using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansFunc.Engine;

namespace OrleansFunc.Stats;

/// <summary>Every five seconds, sends this host's pools and call counts to the cluster's statistics grain.</summary>
public sealed partial class HostReporter(
    IServiceProvider services, CallCounters counters, IGrainFactory grains, TimeProvider clock, ILogger<HostReporter> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private const int SlowestFuncs = 10;
    private readonly string _host = $"{Environment.MachineName}:{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    // Only silos run workers; a WebFront client reports its calls alone.
                    var engine = services.GetService<PythonEngine>();
                    var pools = engine is null ? [] : await engine.StatusAsync();
                    var (calls, funcs) = counters.LastHour(SlowestFuncs);
                    await grains.GetGrain<IClusterStatsGrain>(IClusterStatsGrain.Key)
                        .ReportAsync(new HostReport(_host, clock.GetUtcNow(), pools, calls, funcs));
                }
                catch (Exception failure) when (failure is not OperationCanceledException)
                {
                    LogReportFailed(logger, failure);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not report this host's statistics")]
    private static partial void LogReportFailed(ILogger logger, Exception exception);
}
