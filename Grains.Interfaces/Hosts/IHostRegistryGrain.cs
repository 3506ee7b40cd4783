using OrleansFunc.Common;

namespace OrleansFunc.Hosts;

/// <summary>
/// The hosts of the cluster as observers: each registers itself at start and again every half
/// minute; a change is passed on to all of them at once.
/// </summary>
[SafeToRepeat]
[Alias("of.host-registry")]
public interface IHostRegistryGrain : IGrainWithIntegerKey
{
    const long Key = 0;

    [Alias("register")]
    Task RegisterAsync(string hostId, IHostObserver observer);

    /// <summary>Returns once every host that answers in time has dropped its copies of these scripts.</summary>
    [Alias("scripts-changed")]
    Task ScriptsChangedAsync(IReadOnlyList<string> scriptIds);

    /// <summary>Returns once every host that answers in time has cleared its caches.</summary>
    [Alias("caches-cleared")]
    Task CachesClearedAsync();

    /// <summary>Returns once every host that answers in time has dropped its views of these call entries.</summary>
    [Alias("call-entries-changed")]
    Task CallEntriesChangedAsync(IReadOnlyList<GrainId> entries);

    /// <summary>Returns the hosts that, in time, left this stopping silo out of the runs they send (see <see cref="IHostObserver.SiloLeavingAsync"/>).</summary>
    [Alias("silo-leaving")]
    Task<IReadOnlyList<string>> SiloLeavingAsync(string siloKey);
}
