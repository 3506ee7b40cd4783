using OrleansFunc.Common;

namespace OrleansFunc.Funcs;

/// <summary>Filters of the func docs (SPEC M9); null matches all.</summary>
/// <param name="Categories">Any of these categories.</param>
/// <param name="Tags">All of these tags.</param>
[GenerateSerializer, Immutable, Alias("of.FuncFilter")]
public sealed record FuncFilter(
    string? FuncId = null,
    string? FuncName = null,
    IReadOnlyList<string>? Categories = null,
    IReadOnlyList<string>? Tags = null,
    string? ScriptId = null,
    string? ScriptSetId = null,
    bool IncludeHidden = false);

/// <summary>
/// The funcs of every published script (key <see cref="Key"/>), kept by the script grains at each
/// publish and deletion: the func docs and the lookup of a func by ID.
/// </summary>
[SafeToRepeat]
[Alias("of.func-directory")]
public interface IFuncDirectoryGrain : IGrainWithStringKey
{
    const string Key = "all";

    /// <summary>Replaces the funcs of a script (after a publish).</summary>
    [Alias("set-script-funcs")]
    Task SetScriptFuncsAsync(string scriptId, IReadOnlyList<FuncInfo> funcs);

    /// <summary>Lists the funcs of a script that has none listed (a crash left them out).</summary>
    [Alias("add-script-funcs-if-missing")]
    Task AddScriptFuncsIfMissingAsync(string scriptId, IReadOnlyList<FuncInfo> funcs);

    /// <summary>Forgets the funcs of a deleted script.</summary>
    [Alias("remove-script")]
    Task RemoveScriptAsync(string scriptId);

    /// <summary>Exported funcs ordered by ID, filtered.</summary>
    [Alias("list")]
    Task<Page<FuncInfo>> ListAsync(FuncFilter filter, PageRequest page);
}
