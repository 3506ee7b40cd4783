using OrleansFunc.Common;

namespace OrleansFunc.ScriptSets;

/// <summary>One script set, keyed by its ID; it owns the list of its scripts.</summary>
[Alias("of.script-set")]
public interface IScriptSetGrain : IGrainWithStringKey
{
    /// <summary>Creates the set; 409.42 if the ID is taken, 400.43 on a bad ID or field.</summary>
    [Alias("create")]
    Task<ScriptSetInfo> CreateAsync(TitleAndDescription fields);

    /// <summary>The set, or 404.41.</summary>
    [SafeToRepeat]
    [Alias("get")]
    Task<ScriptSetInfo> GetAsync();

    /// <summary>Changes title and/or description.</summary>
    [Alias("update")]
    Task<ScriptSetInfo> UpdateAsync(TitleAndDescription fields);

    /// <summary>Deletes the set and every script in it; returns the deleted script IDs.</summary>
    [Alias("delete")]
    Task<IReadOnlyList<string>> DeleteAsync(Actor actor);

    /// <summary>
    /// Makes the set exactly <paramref name="content"/> (created if missing, scripts not in it
    /// deleted), or removes it whole when null. Restores and imports use it; edit locks do not stop it.
    /// </summary>
    [Alias("replace")]
    Task ReplaceAsync(Library.ScriptSetContent? content, string note, Actor actor);

    /// <summary>Registers a new script of this set; 404.41 if the set does not exist.</summary>
    [SafeToRepeat]
    [Alias("add-script")]
    Task AddScriptAsync(string scriptId);

    /// <summary>Forgets a deleted script.</summary>
    [SafeToRepeat]
    [Alias("remove-script")]
    Task RemoveScriptAsync(string scriptId);
}
