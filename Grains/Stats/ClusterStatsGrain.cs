namespace OrleansFunc.Stats;

/// <summary>Holds the newest report of each host in memory: statistics, not records.</summary>
public sealed class ClusterStatsGrain(TimeProvider clock) : Grain, IClusterStatsGrain
{
    private static readonly TimeSpan Staleness = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, HostReport> _reports = [];

    public Task ReportAsync(HostReport report)
    {
        _reports[report.Host] = report;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<HostReport>> GetAsync()
    {
        var fresh = clock.GetUtcNow() - Staleness;
        foreach (var stale in _reports.Values.Where(r => r.ReportTime < fresh).ToList())
        {
            _reports.Remove(stale.Host);
        }
        return Task.FromResult<IReadOnlyList<HostReport>>(_reports.Values.OrderBy(r => r.Host, StringComparer.Ordinal).ToList());
    }
}
