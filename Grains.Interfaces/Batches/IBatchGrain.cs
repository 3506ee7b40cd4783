using OrleansFunc.Funcs;

namespace OrleansFunc.Batches;

/// <summary>A batch: like an auth link, but the call returns at once and the func runs on the batch lane.</summary>
/// <param name="Retry">How its runs that fail are tried again (a count of 0: never); null = as the func says.</param>
/// <param name="ErrorHandlerFuncId">The func called with the record of a run that failed its last attempt; null = the installation's.</param>
[GenerateSerializer, Immutable, Alias("of.BatchInfo")]
public sealed record BatchInfo(
    string Id, string FuncId, string FuncCallKwargsJson, bool ShowInDoc, bool IsDisabled, string Note,
    DateTimeOffset CreateTime, DateTimeOffset UpdateTime, string? ApiAuthId = null, int? TaskRecordLimit = null,
    Engine.RetryPolicy? Retry = null, string? ErrorHandlerFuncId = null) : OrleansFunc.Common.IListed;

/// <summary>
/// Fields of a batch; on update, null keeps a field, <see cref="ClearRetry"/> goes back to the func's retries (a
/// <see cref="Retry"/> count of 0 asks for none) and an empty handler removes it.
/// </summary>
[GenerateSerializer, Immutable, Alias("of.BatchFields")]
public sealed record BatchFields(string? FuncId, string? FuncCallKwargsJson, bool? ShowInDoc, bool? IsDisabled, string? Note,
    string? ApiAuthId = null, int? TaskRecordLimit = null, Engine.RetryPolicy? Retry = null, bool ClearRetry = false,
    string? ErrorHandlerFuncId = null) : ICallEntryFields;

/// <summary>One batch, keyed by its ID; refuses calls only when missing or disabled.</summary>
[Alias("of.batch")]
public interface IBatchGrain : ICallEntryGrain<BatchInfo, BatchFields>;
