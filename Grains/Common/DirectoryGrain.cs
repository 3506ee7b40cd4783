using OrleansFunc.Hosting;

namespace OrleansFunc.Common;

/// <summary>The listing of script sets, env variables, auth links, batches… (one activation per kind).</summary>
public sealed class DirectoryGrain<T>(
    [PersistentState("directory", OrleansFuncSiloExtensions.StorageName)] IPersistentState<DirectoryState<T>> state, DirectoryEntryStore rows)
    : DirectoryGrainBase<T>(state, rows), IDirectoryGrain<T> where T : IListed
{
    public Task UpsertAsync(T entry) => SetEntryAsync(entry.Id, entry);

    public Task AddIfMissingAsync(T entry) => AddIfMissingAsync(entry.Id, entry);

    public Task<Page<T>> ListAsync(PageRequest page) => Task.FromResult(Page<T>.Of(Entries, page));
}
