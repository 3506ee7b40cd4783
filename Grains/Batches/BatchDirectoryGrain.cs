using OrleansFunc.Common;
using OrleansFunc.Hosting;

namespace OrleansFunc.Batches;

public sealed class BatchDirectoryGrain(
    [PersistentState("batchDirectory", OrleansFuncSiloExtensions.StorageName)] IPersistentState<DirectoryState<BatchInfo>> state)
    : DirectoryGrainBase<BatchInfo>(state), IBatchDirectoryGrain
{
    public Task UpsertAsync(BatchInfo info) => SetEntryAsync(info.Id, info);

    public Task<Page<BatchInfo>> ListAsync(PageRequest page) => Task.FromResult(Page<BatchInfo>.Of(Entries, page));
}
