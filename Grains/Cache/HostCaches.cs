using Microsoft.Extensions.Logging;
using OrleansFunc.Common;
using OrleansFunc.Engine;
using OrleansFunc.Funcs;
using OrleansFunc.Hosts;

namespace OrleansFunc.Cache;

/// <summary>
/// This host's caches of func results, published code and call entry views, kept no longer than what they copy: the
/// host registers with the <see cref="IHostRegistryGrain"/> (at start, then every half minute), which
/// tells it of every publish and cache clear before these are acknowledged. As a backstop, every two
/// seconds it compares the cluster's cache generation with the one it last saw. The registry also tells
/// it of a silo that stops, which its <see cref="ClusterSilos"/> then leaves out.
/// </summary>
public sealed class HostCaches(
    FuncInvoker invoker, PublishedCodeCache codes, CallEntryViews entryViews, ClusterSilos silos, IGrainFactory grains,
    ILogger<HostCaches> logger)
    : PeriodicBackgroundService(TimeSpan.FromSeconds(2), firstRoundAtStart: true, LogLevel.Debug, logger), IHostObserver
{
    private const int RoundsBetweenRegistrations = 15;

    private readonly string _hostId = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private IHostObserver? _reference;
    private long? _seen;
    private int _round;

    /// <summary>Drops this host's caches now.</summary>
    public void Clear()
    {
        invoker.ClearResults();
        codes.Clear();
        entryViews.Clear();
    }

    public Task ScriptsChangedAsync(IReadOnlyList<string> scriptIds)
    {
        foreach (var scriptId in scriptIds)
        {
            codes.Forget(scriptId);
        }
        return Task.CompletedTask;
    }

    public Task CallEntriesChangedAsync(IReadOnlyList<GrainId> entries)
    {
        entryViews.Forget(entries);
        return Task.CompletedTask;
    }

    public Task CachesClearedAsync()
    {
        Clear();
        return Task.CompletedTask;
    }

    public Task SiloLeavingAsync(string siloKey)
    {
        silos.MarkLeaving(siloKey);
        return Task.CompletedTask;
    }

    protected override async Task RunRoundAsync(CancellationToken stoppingToken)
    {
        if (_round++ % RoundsBetweenRegistrations == 0 || _reference is null)
        {
            _reference ??= grains.CreateObjectReference<IHostObserver>(this);
            await grains.GetGrain<IHostRegistryGrain>(IHostRegistryGrain.Key).RegisterAsync(_hostId, _reference);
        }
        var epoch = await grains.GetGrain<ICacheEpochGrain>(ICacheEpochGrain.Key).GetAsync();
        if (_seen is { } seen && seen != epoch)
        {
            Clear();
        }
        _seen = epoch;
    }
}
