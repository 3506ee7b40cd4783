using Orleans.Concurrency;
using OrleansFunc.Common;

namespace OrleansFunc.Stats;

/// <summary>A worker pool of one lane on one host: its size, live and busy workers, and runs waiting for a worker.</summary>
[GenerateSerializer, Immutable, Alias("of.PoolStatus")]
public sealed record PoolStatus(string Lane, int Size, int Live, int Busy, int Waiting);

/// <summary>Calls of one origin (authLink, batch, crontab, direct…) in the last hour.</summary>
[GenerateSerializer, Immutable, Alias("of.OriginCalls")]
public sealed record OriginCalls(string Origin, long Calls, long Failures);

/// <summary>Runs of one func in the last hour and their cost.</summary>
[GenerateSerializer, Immutable, Alias("of.FuncCost")]
public sealed record FuncCost(string FuncId, long Calls, double AverageMs, double MaxMs);

/// <summary>
/// What one host (a silo, or a WebFront client) saw in the last hour, reported every few seconds, and on a silo the
/// generation of the installed Python packages its new workers get.
/// </summary>
[GenerateSerializer, Immutable, Alias("of.HostReport")]
public sealed record HostReport(
    string Host, DateTimeOffset ReportTime, IReadOnlyList<PoolStatus> Pools, IReadOnlyList<OriginCalls> Calls, IReadOnlyList<FuncCost> Funcs,
    long? PackageGeneration = null);

/// <summary>The cluster's latest host reports (key <see cref="Key"/>); a host that stops reporting drops out after a minute.</summary>
[SafeToRepeat]
[Alias("of.cluster-stats")]
public interface IClusterStatsGrain : IGrainWithStringKey
{
    const string Key = "all";

    [Alias("report"), OneWay]
    Task ReportAsync(HostReport report);

    [Alias("get")]
    Task<IReadOnlyList<HostReport>> GetAsync();
}
