namespace OrleansFunc.AuthLinks;

/// <summary>One finished call of a link: when, with which HTTP status, how long it took.</summary>
[GenerateSerializer, Immutable, Alias("of.CallSample")]
public sealed record CallSample(DateTimeOffset Time, int StatusCode, double CostMs);

/// <summary>A link's recent calls (the last <see cref="CallStatistics.Window"/>) and their latency.</summary>
[GenerateSerializer, Immutable, Alias("of.CallStatistics")]
public sealed record CallStatistics(
    int RecentCount, int RecentFailures, int? LastStatusCode, DateTimeOffset? LastCallTime,
    double? AvgCostMs, double? P50CostMs, double? P99CostMs)
{
    public const int Window = 50;

    public static CallStatistics Of(IReadOnlyCollection<CallSample> samples)
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
