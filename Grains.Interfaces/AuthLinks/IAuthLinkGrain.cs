using Orleans.Concurrency;
using OrleansFunc.Funcs;
using OrleansFunc.Common;

namespace OrleansFunc.AuthLinks;

/// <summary>One auth link, keyed by its ID (which is also what callers put in the URL).</summary>
[Alias("of.auth-link")]
public interface IAuthLinkGrain : ICallEntryGrain<AuthLinkInfo, AuthLinkFields>
{
    /// <summary>Adds finished calls to the link's recent statistics (sent in batches by the front ends).</summary>
    [Alias("record-calls"), OneWay]
    Task RecordCallsAsync(IReadOnlyList<CallSample> calls);

    /// <summary>The link's recent calls, kept in the activation.</summary>
    [SafeToRepeat]
    [Alias("statistics")]
    Task<CallStatistics> GetStatisticsAsync();
}
