using OrleansFunc.Common;

namespace OrleansFunc.DataSources;

/// <summary>Stored state of a data source grain. Secrets are sealed by <see cref="SecretBox"/>, by field name.</summary>
[GenerateSerializer, Alias("of.DataSourceState")]
public sealed record DataSourceState : IEntityState
{
    [Id(0)] public bool Exists { get; init; }
    [Id(1)] public string Title { get; init; } = "";
    [Id(2)] public string Description { get; init; } = "";
    [Id(3)] public DataSourceType Type { get; init; }
    [Id(4)] public string ConfigJson { get; init; } = "{}";
    [Id(5)] public Dictionary<string, string> SealedSecrets { get; init; } = [];
    [Id(6)] public string Version { get; init; } = "";
    [Id(7)] public DateTimeOffset CreateTime { get; init; }
    [Id(8)] public DateTimeOffset UpdateTime { get; init; }
}
