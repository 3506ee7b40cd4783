using OrleansFunc.Common;

namespace OrleansFunc.AuthLinks;

/// <summary>Stored configuration of an auth link grain.</summary>
[GenerateSerializer, Alias("of.AuthLinkState")]
public sealed record AuthLinkState : OrleansFunc.Funcs.ICallEntryState
{
    [Id(0)] public bool Exists { get; init; }
    [Id(1)] public string FuncId { get; init; } = "";
    [Id(2)] public string FuncCallKwargsJson { get; init; } = "{}";
    [Id(3)] public Throttling Throttling { get; init; } = new();
    [Id(4)] public DateTimeOffset? ExpireTime { get; init; }
    [Id(5)] public bool ShowInDoc { get; init; }
    [Id(6)] public bool IsDisabled { get; init; }
    [Id(7)] public string Note { get; init; } = "";
    [Id(8)] public DateTimeOffset CreateTime { get; init; }
    [Id(9)] public DateTimeOffset UpdateTime { get; init; }
    [Id(10)] public string? ApiAuthId { get; init; }
    [Id(11)] public int? TaskRecordLimit { get; init; }
}
