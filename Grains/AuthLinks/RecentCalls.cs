namespace OrleansFunc.AuthLinks;

/// <summary>A link's statistics from its last calls (at most <see cref="CallStatistics.Window"/>).</summary>
public static class RecentCalls
{
    public static CallStatistics Summarize(IReadOnlyCollection<CallSample> samples)
    {
        if (samples.Count == 0)
        {
            return new CallStatistics(0, 0, null, null, null, null, null);
        }
        var costs = samples.Select(s => s.CostMs).Order().ToList();
        var last = samples.MaxBy(s => s.Time)!;
        return new CallStatistics(samples.Count, samples.Count(s => s.StatusCode >= 400), last.StatusCode, last.Time,
            Math.Round(costs.Average(), 3), costs[costs.Count / 2], costs[(int)Math.Min(costs.Count - 1, Math.Ceiling(costs.Count * 0.99) - 1)]);
    }
}
