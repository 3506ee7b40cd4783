using OrleansFunc.Common;
using OrleansFunc.Hosting;

namespace OrleansFunc.EnvVars;

public sealed class EnvVarDirectoryGrain(
    [PersistentState("envVarDirectory", OrleansFuncSiloExtensions.StorageName)] IPersistentState<DirectoryState<EnvVarInfo>> state)
    : DirectoryGrainBase<EnvVarInfo>(state), IEnvVarDirectoryGrain
{
    public Task UpsertAsync(EnvVarInfo info) => SetEntryAsync(info.Id, info);

    public Task<Page<EnvVarInfo>> ListAsync(PageRequest page) => Task.FromResult(Page<EnvVarInfo>.Of(Entries, page));
}
