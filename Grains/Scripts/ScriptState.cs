using OrleansFunc.Common;
using OrleansFunc.Funcs;

namespace OrleansFunc.Scripts;

/// <summary>Stored state of a script grain. The edit lock is not stored: it lives in the activation.</summary>
[GenerateSerializer, Alias("of.ScriptState")]
public sealed record ScriptState : IEntityState
{
    [Id(0)] public bool Exists { get; init; }
    [Id(1)] public string ScriptSetId { get; init; } = "";
    [Id(2)] public string Title { get; init; } = "";
    [Id(3)] public string Description { get; init; } = "";
    [Id(4)] public string Code { get; init; } = "";
    [Id(5)] public string CodeMD5 { get; init; } = "";
    [Id(6)] public string CodeDraft { get; init; } = "";
    [Id(7)] public string CodeDraftMD5 { get; init; } = "";
    [Id(8)] public int PublishVersion { get; init; }
    [Id(9)] public DateTimeOffset? PublishTime { get; init; }
    [Id(10)] public DateTimeOffset CreateTime { get; init; }
    [Id(11)] public DateTimeOffset UpdateTime { get; init; }
    [Id(12)] public FuncInfo[] Funcs { get; init; } = [];
}
