using OrleansFunc.Common;
using OrleansFunc.Hosting;

namespace OrleansFunc.AuthLinks;

public sealed class AuthLinkDirectoryGrain(
    [PersistentState("authLinkDirectory", OrleansFuncSiloExtensions.StorageName)] IPersistentState<DirectoryState<AuthLinkInfo>> state)
    : DirectoryGrainBase<AuthLinkInfo>(state), IAuthLinkDirectoryGrain
{
    public Task UpsertAsync(AuthLinkInfo info) => SetEntryAsync(info.Id, info);

    public Task<Page<AuthLinkInfo>> ListAsync(PageRequest page) => Task.FromResult(Page<AuthLinkInfo>.Of(Entries, page));
}
