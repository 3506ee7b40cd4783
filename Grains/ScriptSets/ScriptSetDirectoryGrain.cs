using OrleansFunc.Common;
using OrleansFunc.Hosting;

namespace OrleansFunc.ScriptSets;

public sealed class ScriptSetDirectoryGrain(
    [PersistentState("scriptSetDirectory", OrleansFuncSiloExtensions.StorageName)] IPersistentState<DirectoryState<ScriptSetInfo>> state)
    : DirectoryGrainBase<ScriptSetInfo>(state), IScriptSetDirectoryGrain
{
    public Task UpsertAsync(ScriptSetInfo info) => SetEntryAsync(info.Id, info);

    public Task<Page<ScriptSetInfo>> ListAsync(PageRequest page) => Task.FromResult(Page<ScriptSetInfo>.Of(Entries, page));
}
