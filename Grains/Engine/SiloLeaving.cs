using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansFunc.Hosts;

namespace OrleansFunc.Engine;

/// <summary>
/// When this silo stops, every host of the cluster is told first to send it no more runs: membership
/// says so only once its Orleans silo stops, and a run request that reaches it then can be refused
/// with no answer getting back, which the caller cannot tell from a run lost in flight. Registered
/// after the engine, so stopped before the engine drains its runs and before the silo; the runs sent
/// before a host heard arrive during the drain or the pause here and are turned away (the host is
/// stopping), and go elsewhere.
/// </summary>
public sealed partial class SiloLeaving(LocalRunner runner, IGrainFactory grains, ILogger<SiloLeaving> logger) : IHostedService
{
    /// <summary>How long the hosts may take to answer (the registry waits two seconds for each, all at once).</summary>
    private static readonly TimeSpan TellLimit = TimeSpan.FromSeconds(3);

    /// <summary>For run requests sent just before a host heard: on this machine's loopback they arrive in well under this.</summary>
    private static readonly TimeSpan InFlightPause = TimeSpan.FromMilliseconds(300);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            var told = await grains.GetGrain<IHostRegistryGrain>(IHostRegistryGrain.Key).SiloLeavingAsync(runner.SiloKey)
                .WaitAsync(TellLimit, cancellationToken);
            LogLeaving(logger, runner.SiloName, told.Count, string.Join(", ", told));
            // This host alone heard it (a lone silo): no other sends it runs.
            if (told.Count > 1)
            {
                await Task.Delay(InFlightPause, cancellationToken);
            }
        }
        catch (Exception unsaid)
        {
            // The silo stops all the same; hosts then learn it from membership, as they did before.
            LogNotTold(logger, runner.SiloName, unsaid.GetType().Name, unsaid.Message);
        }
    }

    [LoggerMessage(EventId = 3061, Level = LogLevel.Information, Message = "Silo {Silo} stops: {Count} hosts send it no more runs ({Hosts})")]
    private static partial void LogLeaving(ILogger logger, string silo, int count, string hosts);

    [LoggerMessage(EventId = 3062, Level = LogLevel.Warning,
        Message = "Silo {Silo} stops without telling the hosts first ({Error}: {Message}); runs sent to it as it stops may fail with SiloLost")]
    private static partial void LogNotTold(ILogger logger, string silo, string error, string message);
}
