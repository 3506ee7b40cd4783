using OrleansFunc.Common;

namespace OrleansFunc.Funcs;

/// <summary>
/// A way in for external callers that names a func and a kwargs template (an auth link or a batch):
/// the front end asks it to admit each call, whatever kind it is.
/// </summary>
[Alias("of.call-entry")]
public interface ICallEntryGrain : IGrainWithStringKey
{
    /// <summary>
    /// Admits one call: 404.41 missing, 403.21 refused by the entry's state (disabled, expired), 429.46 over
    /// a throttle (counted in memory), 400.43 when the caller overrides a fixed kwarg; else the func and merged kwargs.
    /// Asked again when its silo leaves with the call in flight: at worst a throttled link counts that call twice.
    /// </summary>
    /// <remarks>
    /// An entry with an API authentication method that <paramref name="authenticatedBy"/> does not name answers only that
    /// method (<see cref="CallAdmission.ApiAuthId"/>), counting nothing: the front end checks the caller, then asks again.
    /// An entry that counts callers by a header <paramref name="caller"/> does not carry answers only that header's name
    /// (<see cref="CallAdmission.CallerKeyHeader"/>), counting nothing, and is asked again with its value.
    /// </remarks>
    [SafeToRepeat]
    [Alias("admit")]
    Task<CallAdmission> AdmitAsync(string callerKwargsJson, string? authenticatedBy = null, CallerIdentity? caller = null);

    /// <summary>
    /// Whether a call would be admitted now, counting nothing (404.41, 403.21 or 429.46 as <see cref="AdmitAsync"/>):
    /// asked before a call's body is read, so that nothing a caller sends is stored for an entry that refuses it.
    /// </summary>
    /// <returns>The API authentication method a call must pass first, or null.</returns>
    [SafeToRepeat]
    [Alias("check-open")]
    Task<string?> CheckOpenAsync();

    /// <summary>
    /// What a front end needs to admit calls by itself, or null when the entry must admit each call (missing, disabled,
    /// API authentication, per-caller limits): see <see cref="CallEntryView"/>.
    /// </summary>
    [SafeToRepeat]
    [Alias("local-view")]
    Task<CallEntryView?> GetLocalViewAsync();

    /// <summary>
    /// Up to <paramref name="wanted"/> calls for a host whose view says the entry counts by shares
    /// (<see cref="CallEntryView.CountedByShares"/>), counted now: 404.41 or 403.21 as <see cref="AdmitAsync"/>, and none
    /// when the room left is small (each call is then admitted by <see cref="AdmitAsync"/>, exactly). The host gives back
    /// the <paramref name="unused"/> calls of its last share, handed out at <paramref name="unusedGrantedAtSecond"/>.
    /// Asked again when its silo leaves with the call in flight: at worst the share is counted twice.
    /// </summary>
    [SafeToRepeat]
    [Alias("take-share")]
    Task<CallShare> TakeShareAsync(int wanted, int unused, long unusedGrantedAtSecond);
}

/// <summary>A call entry's administration: <typeparamref name="TFields"/> with null fields keep them on update.</summary>
[Alias("of.call-entry-admin")]
public interface ICallEntryGrain<TInfo, TFields> : ICallEntryGrain
{
    /// <summary>A new entry; 409 when one with this ID exists, 404 when its func does not.</summary>
    [Alias("create")]
    Task<TInfo> CreateAsync(TFields fields);

    /// <summary>The entry, or 404.41.</summary>
    [SafeToRepeat]
    [Alias("get")]
    Task<TInfo> GetAsync();

    [Alias("update")]
    Task<TInfo> UpdateAsync(TFields fields);

    [Alias("delete")]
    Task DeleteAsync();
}

/// <summary>The fields every call entry has; null keeps a field on update.</summary>
public interface ICallEntryFields
{
    string? FuncId { get; }
    string? FuncCallKwargsJson { get; }
    bool? ShowInDoc { get; }
    bool? IsDisabled { get; }
    string? Note { get; }

    /// <summary>The API authentication method calls must pass: null keeps it, "" removes it.</summary>
    string? ApiAuthId { get; }

    /// <summary>How many finished task records of the entry are kept; null keeps the current limit.</summary>
    int? TaskRecordLimit { get; }
}
