using System.Collections.Concurrent;

namespace OrleansFunc.Funcs;

/// <summary>
/// This host's views of call entries (<see cref="CallEntryView"/>), so the calls of an auth link or batch that counts
/// nothing are admitted here without a grain call each, and those of a throttled link from this host's share of its
/// windows (<see cref="HostCallShare"/>). Every host drops an entry's view before the entry's change is
/// acknowledged (<see cref="Cache.HostCaches"/>); a view older than a second is asked for again all the same, for a
/// host that missed the news (the registry does not wait long for an unanswering host). A view asked for before a
/// change but answered after it is used for its one call and not kept.
/// </summary>
public sealed class CallEntryViews(TimeProvider clock)
{
    /// <summary>By the entry grain's ID: a struct key, nothing formatted per call.</summary>
    private readonly ConcurrentDictionary<GrainId, (CallEntryView? View, DateTimeOffset FetchedAt)> _views = new();

    /// <summary>This host's shares of throttled entries' calls, dropped with their views (what they hold is given back).</summary>
    private readonly ConcurrentDictionary<GrainId, HostCallShare> _shares = new();

    /// <summary>Bumped by every drop: a view fetched across one is not kept.</summary>
    private long _generation;

    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _views.Clear();
        foreach (var key in _shares.Keys)
        {
            DropShare(key);
        }
    }

    public void Forget(IEnumerable<GrainId> entries)
    {
        Interlocked.Increment(ref _generation);
        foreach (var key in entries)
        {
            _views.TryRemove(key, out _);
            DropShare(key);
        }
    }

    private void DropShare(GrainId key)
    {
        if (_shares.TryRemove(key, out var share))
        {
            share.GiveBackUnused();
        }
    }

    /// <summary>
    /// The call admitted by <paramref name="entry"/>'s view: its func and the caller's kwargs merged into its template
    /// (400.43 for an overridden fixed value, as the grain would); null when the grain must admit it (no view, expired).
    /// </summary>
    public async ValueTask<CallAdmission?> TryAdmitAsync(ICallEntryGrain entry, string callerKwargsJson)
    {
        var view = await GetAsync(entry);
        if (view is null || view.ExpireTime <= clock.GetUtcNow())
        {
            return null;
        }
        if (view.CountedByShares && !await _shares.GetOrAdd(entry.GetGrainId(), static (_, entry) => new HostCallShare(entry), entry).TryTakeAsync())
        {
            return null;
        }
        return new CallAdmission(view.FuncId, CallRules.MergeKwargs(view.FuncCallKwargsJson, callerKwargsJson, view.FuncId), OnFailure: view.OnFailure);
    }

    private async ValueTask<CallEntryView?> GetAsync(ICallEntryGrain entry)
    {
        var key = entry.GetGrainId();
        var now = clock.GetUtcNow();
        if (_views.TryGetValue(key, out var kept) && now - kept.FetchedAt <= CallEntryView.Freshness)
        {
            return kept.View;
        }
        var generation = Interlocked.Read(ref _generation);
        var view = await entry.GetLocalViewAsync();
        if (Interlocked.Read(ref _generation) == generation)
        {
            _views[key] = (view, now);
        }
        return view;
    }
}
