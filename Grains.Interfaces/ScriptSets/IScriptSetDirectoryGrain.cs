using OrleansFunc.Common;

namespace OrleansFunc.ScriptSets;

/// <summary>Listing of all script sets (key <see cref="Key"/>), kept up to date by the set grains.</summary>
[Alias("of.script-set-directory")]
public interface IScriptSetDirectoryGrain : IGrainWithStringKey
{
    const string Key = "all";

    [Alias("upsert")]
    Task UpsertAsync(ScriptSetInfo info);

    [Alias("remove")]
    Task RemoveAsync(string id);

    /// <summary>Sets ordered by ID.</summary>
    [Alias("list")]
    Task<Page<ScriptSetInfo>> ListAsync(PageRequest page);
}
