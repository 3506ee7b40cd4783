using Microsoft.Extensions.DependencyInjection;

namespace OrleansFunc.Engine;

/// <summary>
/// The silos a run may be sent to: the cluster's active members, as this host knows them. A silo reads
/// its own membership view (current to the moment); a client asks the management grain every two
/// seconds. A silo a call could not reach is left out for a while, until membership catches up; a silo that
/// said it is stopping, until membership no longer lists it.
/// </summary>
public sealed class ClusterSilos(IGrainFactory grains, IServiceProvider services, TimeProvider clock)
{
    private static readonly TimeSpan ClientRefresh = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan UnreachableFor = TimeSpan.FromSeconds(10);
    /// <summary>Longer than any stop takes (its drain of runs in flight is bounded well below).</summary>
    private static readonly TimeSpan LeavingFor = TimeSpan.FromMinutes(10);

    private readonly IClusterMembershipService? _membership = services.GetService<IClusterMembershipService>();
    private readonly Dictionary<string, DateTimeOffset> _unreachable = [];
    private readonly Lock _gate = new();
    private (IReadOnlyList<string> Keys, DateTimeOffset At)? _clientView;
    private (MembershipVersion Version, IReadOnlyList<string> Keys)? _siloView;
    private Task? _refreshing;

    /// <summary>The keys (<see cref="SiloTargetedPlacement.KeyOf"/>) of the active silos but <paramref name="except"/>.</summary>
    public async ValueTask<IReadOnlyList<string>> ActiveAsync(string? except)
    {
        // A silo passes its own key, a client none: either way the same for every call of this host.
        var all = _membership is not null ? SiloView(except) : await ClientViewAsync();
        lock (_gate)
        {
            if (_unreachable.Count == 0 && (except is null || !all.Contains(except)))
            {
                return all;
            }
            // A mark ends when it expires or when membership no longer lists the silo (nothing left to leave out).
            var now = clock.GetUtcNow();
            foreach (var ended in _unreachable.Where(u => u.Value <= now || !all.Contains(u.Key)).Select(u => u.Key).ToList())
            {
                _unreachable.Remove(ended);
            }
            return all.Where(key => key != except && !_unreachable.ContainsKey(key)).ToList();
        }
    }

    /// <summary>The active members by this silo's membership view, read again only when it changed.</summary>
    private IReadOnlyList<string> SiloView(string? except)
    {
        var snapshot = _membership!.CurrentSnapshot;
        if (_siloView is { } view && view.Version == snapshot.Version)
        {
            return view.Keys;
        }
        var keys = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active)
            .Select(m => SiloTargetedPlacement.KeyOf(m.SiloAddress)).Where(key => key != except).Order().ToList();
        _siloView = (snapshot.Version, keys);
        return keys;
    }

    /// <summary>Leaves a silo out until membership has had time to notice it is gone.</summary>
    public void MarkUnreachable(string key) => LeaveOut(key, UnreachableFor);

    /// <summary>Leaves out a silo that is stopping, until membership no longer lists it.</summary>
    public void MarkLeaving(string key) => LeaveOut(key, LeavingFor);

    private void LeaveOut(string key, TimeSpan period)
    {
        lock (_gate)
        {
            var until = clock.GetUtcNow() + period;
            // A call failing on a leaving silo must not shorten its mark.
            _unreachable[key] = _unreachable.TryGetValue(key, out var marked) && marked > until ? marked : until;
        }
    }

    private async ValueTask<IReadOnlyList<string>> ClientViewAsync()
    {
        Task refreshing;
        lock (_gate)
        {
            if (_clientView is { } view && clock.GetUtcNow() - view.At < ClientRefresh)
            {
                return view.Keys;
            }
            refreshing = _refreshing ??= RefreshClientViewAsync();
        }
        await refreshing;
        lock (_gate)
        {
            return _clientView?.Keys ?? [];
        }
    }

    private async Task RefreshClientViewAsync()
    {
        try
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
            var keys = hosts.Keys.Select(SiloTargetedPlacement.KeyOf).Order().ToList();
            lock (_gate)
            {
                _clientView = (keys, clock.GetUtcNow());
            }
        }
        finally
        {
            lock (_gate)
            {
                _refreshing = null;
            }
        }
    }
}
