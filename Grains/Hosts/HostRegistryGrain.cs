using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using OrleansFunc.Hosting;

namespace OrleansFunc.Hosts;

[GenerateSerializer, Alias("of.HostRegistryState")]
public sealed class HostRegistryState
{
    /// <summary>Each host's observer and when it last registered.</summary>
    [Id(0)] public Dictionary<string, RegisteredHost> Hosts { get; set; } = [];
}

[GenerateSerializer, Immutable, Alias("of.RegisteredHost")]
public sealed record RegisteredHost([property: Id(0)] IHostObserver Observer, [property: Id(1)] DateTimeOffset LastSeen);

/// <summary>
/// Kept in storage, so that the hosts are still known when the registry wakes on another silo. A host
/// that has not registered for <see cref="Forgotten"/> is gone; one that does not answer within
/// <see cref="AnswerLimit"/> (a silo that died moments ago) does not hold the change up: it is
/// either gone, or drops its copies on its own within a second (their freshness).
/// </summary>
[Reentrant]
public sealed partial class HostRegistryGrain(
    [PersistentState("hostRegistry", OrleansFuncSiloExtensions.StorageName)] IPersistentState<HostRegistryState> state,
    TimeProvider clock,
    ILogger<HostRegistryGrain> logger) : Grain, IHostRegistryGrain
{
    private static readonly TimeSpan Forgotten = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(2);

    public async Task RegisterAsync(string hostId, IHostObserver observer)
    {
        var now = clock.GetUtcNow();
        var known = state.State.Hosts.TryGetValue(hostId, out var host) && host.Observer.Equals(observer);
        state.State.Hosts[hostId] = new RegisteredHost(observer, now);
        var stale = state.State.Hosts.Where(h => now - h.Value.LastSeen > Forgotten).Select(h => h.Key).ToList();
        stale.ForEach(id => state.State.Hosts.Remove(id));
        // A renewal changes only the time: written when the set of hosts changed, not every half minute.
        if (!known || stale.Count > 0)
        {
            await state.WriteStateAsync();
        }
    }

    public Task ScriptsChangedAsync(IReadOnlyList<string> scriptIds) => TellAllAsync(observer => observer.ScriptsChangedAsync(scriptIds));

    public Task CachesClearedAsync() => TellAllAsync(observer => observer.CachesClearedAsync());

    public Task CallEntriesChangedAsync(IReadOnlyList<GrainId> entries) => TellAllAsync(observer => observer.CallEntriesChangedAsync(entries));

    public Task<IReadOnlyList<string>> SiloLeavingAsync(string siloKey) => TellAllAsync(observer => observer.SiloLeavingAsync(siloKey));

    /// <summary>Tells every host at once; returns the hosts that answered in time.</summary>
    private async Task<IReadOnlyList<string>> TellAllAsync(Func<IHostObserver, Task> tell)
    {
        var hosts = state.State.Hosts.ToList();
        var answered = await Task.WhenAll(hosts.Select(async host =>
        {
            try
            {
                await tell(host.Value.Observer).WaitAsync(AnswerLimit);
                return host.Key;
            }
            catch (Exception unanswered)
            {
                LogUnanswered(logger, host.Key, unanswered.GetType().Name);
                return null;
            }
        }));
        return answered.OfType<string>().ToList();
    }
}
