using Microsoft.Extensions.Logging;
using OrleansFunc.Common;
using OrleansFunc.Funcs;

namespace OrleansFunc.Cache;

/// <summary>
/// This host's caches of func results and published code. Every two seconds it compares the
/// cluster's cache generation with the one it last saw and drops them when it moved.
/// </summary>
public sealed class HostCaches(FuncInvoker invoker, PublishedCodeCache codes, IGrainFactory grains, ILogger<HostCaches> logger)
    : PeriodicBackgroundService(TimeSpan.FromSeconds(2), firstRoundAtStart: false, LogLevel.Debug, logger)
{
    private long? _seen;

    /// <summary>Drops this host's caches now.</summary>
    public void Clear()
    {
        invoker.ClearResults();
        codes.Clear();
    }

    protected override async Task RunRoundAsync(CancellationToken stoppingToken)
    {
        var epoch = await grains.GetGrain<ICacheEpochGrain>(ICacheEpochGrain.Key).GetAsync();
        if (_seen is { } seen && seen != epoch)
        {
            Clear();
        }
        _seen = epoch;
    }
}
