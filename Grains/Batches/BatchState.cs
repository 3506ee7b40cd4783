using OrleansFunc.Common;

namespace OrleansFunc.Batches;

/// <summary>Stored state of a batch grain.</summary>
[GenerateSerializer, Alias("of.BatchState")]
public sealed record BatchState : OrleansFunc.Funcs.ICallEntryState
{
    [Id(0)] public bool Exists { get; init; }
    [Id(1)] public string FuncId { get; init; } = "";
    [Id(2)] public string FuncCallKwargsJson { get; init; } = "{}";
    [Id(3)] public bool ShowInDoc { get; init; }
    [Id(4)] public bool IsDisabled { get; init; }
    [Id(5)] public string Note { get; init; } = "";
    [Id(6)] public DateTimeOffset CreateTime { get; init; }
    [Id(7)] public DateTimeOffset UpdateTime { get; init; }
    [Id(8)] public string? ApiAuthId { get; init; }
    [Id(9)] public int? TaskRecordLimit { get; init; }
    [Id(10)] public Engine.RetryPolicy? Retry { get; init; }
    [Id(11)] public string? ErrorHandlerFuncId { get; init; }
}
