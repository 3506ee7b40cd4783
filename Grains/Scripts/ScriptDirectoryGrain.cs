using OrleansFunc.Common;
using OrleansFunc.Hosting;

namespace OrleansFunc.Scripts;

public sealed class ScriptDirectoryGrain(
    [PersistentState("scriptDirectory", OrleansFuncSiloExtensions.StorageName)] IPersistentState<DirectoryState<ScriptInfo>> state, DirectoryEntryStore rows)
    : DirectoryGrainBase<ScriptInfo>(state, rows), IScriptDirectoryGrain
{
    public Task UpsertAsync(ScriptInfo info) => SetEntryAsync(info.Id, info);

    public Task AddIfMissingAsync(ScriptInfo info) => AddIfMissingAsync(info.Id, info);

    public Task<Page<ScriptInfo>> ListAsync(string? scriptSetId, PageRequest page)
    {
        IReadOnlyCollection<ScriptInfo> matching = scriptSetId is null
            ? Entries
            : Entries.Where(s => s.ScriptSetId == scriptSetId).ToList();
        return Task.FromResult(Page<ScriptInfo>.Of(matching, page));
    }
}
