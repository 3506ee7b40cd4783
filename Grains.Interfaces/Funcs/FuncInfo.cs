namespace OrleansFunc.Funcs;

/// <summary>
/// An exported func as the publish check found it (a <c>@DFF.API</c> function at the top level).
/// <see cref="KwargsJson"/> maps each parameter to <c>{default?}</c>; <see cref="OptionsJson"/> holds
/// the other decorator options (timeout, cache_result, ...).
/// </summary>
[GenerateSerializer, Immutable, Alias("of.FuncInfo")]
public sealed record FuncInfo(
    string Id,
    string Name,
    string? Title,
    string? Description,
    string Definition,
    IReadOnlyList<string> Args,
    string KwargsJson,
    string Category,
    IReadOnlyList<string> Tags,
    string OptionsJson,
    int Line);
