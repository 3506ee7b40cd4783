using OrleansFunc.Funcs;

namespace OrleansFunc.Batches;

/// <summary>A batch: like an auth link, but the call returns at once and the func runs on the batch lane.</summary>
[GenerateSerializer, Immutable, Alias("of.BatchInfo")]
public sealed record BatchInfo(
    string Id, string FuncId, string FuncCallKwargsJson, bool ShowInDoc, bool IsDisabled, string Note,
    DateTimeOffset CreateTime, DateTimeOffset UpdateTime, string? ApiAuthId = null, int? TaskRecordLimit = null) : OrleansFunc.Common.IListed;

/// <summary>Fields of a batch; on update, null keeps a field.</summary>
[GenerateSerializer, Immutable, Alias("of.BatchFields")]
public sealed record BatchFields(string? FuncId, string? FuncCallKwargsJson, bool? ShowInDoc, bool? IsDisabled, string? Note,
    string? ApiAuthId = null, int? TaskRecordLimit = null) : ICallEntryFields;

/// <summary>One batch, keyed by its ID; refuses calls only when missing or disabled.</summary>
[Alias("of.batch")]
public interface IBatchGrain : ICallEntryGrain<BatchInfo, BatchFields>;
