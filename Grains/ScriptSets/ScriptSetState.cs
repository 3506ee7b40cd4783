using OrleansFunc.Common;

namespace OrleansFunc.ScriptSets;

/// <summary>Stored state of a script set grain.</summary>
[GenerateSerializer, Alias("of.ScriptSetState")]
public sealed record ScriptSetState : IEntityState
{
    [Id(0)] public bool Exists { get; init; }
    [Id(1)] public string Title { get; init; } = "";
    [Id(2)] public string Description { get; init; } = "";
    [Id(3)] public DateTimeOffset CreateTime { get; init; }
    [Id(4)] public DateTimeOffset UpdateTime { get; init; }
    [Id(5)] public string[] ScriptIds { get; init; } = [];
}
