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
    /// <summary>How many of a link's last calls its grain keeps (and a front end sends at most).</summary>
    public const int Window = 50;
}
