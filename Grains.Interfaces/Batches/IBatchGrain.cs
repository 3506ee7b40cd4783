using OrleansFunc.Common;
using OrleansFunc.Funcs;

namespace OrleansFunc.Batches;

/// <summary>A batch: like an auth link, but the call returns at once and the func runs on the batch lane.</summary>
[GenerateSerializer, Immutable, Alias("of.BatchInfo")]
public sealed record BatchInfo(
    string Id, string FuncId, string FuncCallKwargsJson, bool ShowInDoc, bool IsDisabled, string Note,
    DateTimeOffset CreateTime, DateTimeOffset UpdateTime) : OrleansFunc.Common.IListed;

/// <summary>Fields of a batch; on update, null keeps a field.</summary>
[GenerateSerializer, Immutable, Alias("of.BatchFields")]
public sealed record BatchFields(string? FuncId, string? FuncCallKwargsJson, bool? ShowInDoc, bool? IsDisabled, string? Note);

/// <summary>One batch, keyed by its ID.</summary>
[Alias("of.batch")]
public interface IBatchGrain : IGrainWithStringKey
{
    [Alias("create")]
    Task<BatchInfo> CreateAsync(BatchFields fields);

    [Alias("get")]
    Task<BatchInfo> GetAsync();

    [Alias("update")]
    Task<BatchInfo> UpdateAsync(BatchFields fields);

    [Alias("delete")]
    Task DeleteAsync();

    /// <summary>Admits one call: 404.41 missing, 403.21 disabled, 400.43 on a fixed kwarg override.</summary>
    [Alias("admit")]
    Task<CallAdmission> AdmitAsync(string callerKwargsJson);

    /// <summary>404.41 missing or 403.21 disabled, asked before a call's body is read (nothing is stored for a refused call).</summary>
    [Alias("check-open")]
    Task CheckOpenAsync();
}
