namespace OrleansFunc.Hosts;

/// <summary>
/// A host of the cluster (a silo, or a WebFront client), told of changes that its copies must not
/// outlive: a change is acknowledged only once every host has dropped what it replaces.
/// </summary>
public interface IHostObserver : IGrainObserver
{
    /// <summary>The published code of these scripts changed (publish, import, restore, deletion).</summary>
    Task ScriptsChangedAsync(IReadOnlyList<string> scriptIds);

    /// <summary>An administrator cleared the caches of func results and published code.</summary>
    Task CachesClearedAsync();

    /// <summary>These call entries (auth links, batches) changed: their views must be asked for again.</summary>
    Task CallEntriesChangedAsync(IReadOnlyList<GrainId> entries);

    /// <summary>
    /// The silo of this key (<c>SiloTargetedPlacement.KeyOf</c>) is stopping: send it no more runs. Membership says so
    /// only once its Orleans silo stops, and a run in flight then may be lost with no answer.
    /// </summary>
    Task SiloLeavingAsync(string siloKey);
}
