namespace OrleansFunc.ScriptSets;

/// <summary>A script set as listed and shown.</summary>
[GenerateSerializer, Immutable, Alias("of.ScriptSetInfo")]
public sealed record ScriptSetInfo(
    string Id,
    string Title,
    string Description,
    int ScriptCount,
    DateTimeOffset CreateTime,
    DateTimeOffset UpdateTime) : OrleansFunc.Common.IListed;

/// <summary>Title and description of a set or script; on update, null keeps the current value.</summary>
[GenerateSerializer, Immutable, Alias("of.TitleAndDescription")]
public sealed record TitleAndDescription(string? Title, string? Description);
