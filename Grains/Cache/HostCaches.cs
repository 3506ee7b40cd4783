using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansFunc.Funcs;

namespace OrleansFunc.Cache;

/// <summary>
/// This host's caches of func results and published code. Every two seconds it compares the
/// cluster's cache generation with the one it last saw and drops them when it moved.
/// </summary>
public sealed partial class HostCaches(
    FuncInvoker invoker, PublishedCodeCache codes, IGrainFactory grains, ILogger<HostCaches> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private long? _seen;

    /// <summary>Drops this host's caches now.</summary>
    public void Clear()
    {
        invoker.ClearResults();
        codes.Clear();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var epoch = await grains.GetGrain<ICacheEpochGrain>(ICacheEpochGrain.Key).GetAsync();
                    if (_seen is { } seen && seen != epoch)
                    {
                        Clear();
                    }
                    _seen = epoch;
                }
                catch (Exception failure) when (failure is not OperationCanceledException)
                {
                    LogCheckFailed(logger, failure);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not read the cluster's cache generation")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
