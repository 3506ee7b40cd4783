using OrleansFunc.Common;

namespace OrleansFunc.Scripts;

/// <summary>Listing of all scripts without code (key <see cref="Key"/>), kept up to date by the script grains.</summary>
[SafeToRepeat]
[Alias("of.script-directory")]
public interface IScriptDirectoryGrain : IGrainWithStringKey
{
    const string Key = "all";

    [Alias("upsert")]
    Task UpsertAsync(ScriptInfo info);

    /// <summary>Lists the script if it is not listed yet.</summary>
    [Alias("add-if-missing")]
    Task AddIfMissingAsync(ScriptInfo info);

    [Alias("remove")]
    Task RemoveAsync(string id);

    /// <summary>Scripts ordered by ID, optionally of one set only.</summary>
    [Alias("list")]
    Task<Page<ScriptInfo>> ListAsync(string? scriptSetId, PageRequest page);
}
