using Orleans.Concurrency;
using OrleansFunc.Common;
using OrleansFunc.Funcs;

namespace OrleansFunc.AuthLinks;

/// <summary>One auth link, keyed by its ID (which is also what callers put in the URL).</summary>
[Alias("of.auth-link")]
public interface IAuthLinkGrain : IGrainWithStringKey
{
    [Alias("create")]
    Task<AuthLinkInfo> CreateAsync(AuthLinkFields fields);

    /// <summary>The link, or 404.41.</summary>
    [Alias("get")]
    Task<AuthLinkInfo> GetAsync();

    [Alias("update")]
    Task<AuthLinkInfo> UpdateAsync(AuthLinkFields fields);

    [Alias("delete")]
    Task DeleteAsync();

    /// <summary>
    /// Admits one call: 404.41 missing, 403.21 disabled or expired, 429.46 over a throttle (counted
    /// in memory), 400.43 when the caller overrides a fixed kwarg; else the func and merged kwargs.
    /// </summary>
    [Alias("admit")]
    Task<CallAdmission> AdmitAsync(string callerKwargsJson);

    /// <summary>
    /// Whether a call would be admitted now, counting nothing (404.41, 403.21 or 429.46 as <see cref="AdmitAsync"/>):
    /// asked before a call's body is read, so that nothing a caller sends is stored for a link that refuses it.
    /// </summary>
    [Alias("check-open")]
    Task CheckOpenAsync();

    /// <summary>Adds finished calls to the link's recent statistics (sent in batches by the front ends).</summary>
    [Alias("record-calls"), OneWay]
    Task RecordCallsAsync(IReadOnlyList<CallSample> calls);

    /// <summary>The link's recent calls, kept in the activation.</summary>
    [Alias("statistics")]
    Task<CallStatistics> GetStatisticsAsync();
}
