using OrleansFunc.Common;

namespace OrleansFunc.EnvVars;

/// <summary>Stored state of an env variable grain.</summary>
[GenerateSerializer, Alias("of.EnvVarState")]
public sealed record EnvVarState : IEntityState
{
    [Id(0)] public bool Exists { get; init; }
    [Id(1)] public string Title { get; init; } = "";
    [Id(2)] public string Description { get; init; } = "";
    [Id(3)] public string ValueTEXT { get; init; } = "";
    [Id(4)] public AutoTypeCasting AutoTypeCasting { get; init; }
    [Id(5)] public DateTimeOffset CreateTime { get; init; }
    [Id(6)] public DateTimeOffset UpdateTime { get; init; }
}
