using System.Security.Cryptography;
using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Hosting;

namespace OrleansFunc.Users;

public sealed class UserDirectoryGrain(
    [PersistentState("userDirectory", OrleansFuncSiloExtensions.StorageName)] IPersistentState<UserDirectoryState> state)
    : Grain, IUserDirectoryGrain
{
    public async Task<UserInfo> SetupFirstAdminAsync(string username, string password)
    {
        if (state.State.UserIdsByUsername.Count > 0)
        {
            throw DffException.Condition("AlreadySetUp", "The first administrator has already been created; sign in instead");
        }
        var user = await AddAsync(username, password, UserRole.Admin);
        state.State.FirstAdminId = user.Id;
        await state.WriteStateAsync();
        return user;
    }

    public async Task<UserInfo> CreateUserAsync(string username, string password, UserRole role)
    {
        if (state.State.UserIdsByUsername.Count == 0)
        {
            throw DffException.Condition("NotSetUp", "Create the first administrator through the setup first");
        }
        return await AddAsync(username, password, role);
    }

    public Task<IReadOnlyList<string>> ListUserIdsAsync() =>
        Task.FromResult<IReadOnlyList<string>>(
            state.State.UserIdsByUsername.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => u.Value).Concat(state.State.FuncUserIds).ToList());

    public async Task AddFuncUserAsync(string userId)
    {
        if (state.State.FuncUserIds.Add(userId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<bool> IsSetUpAsync() => Task.FromResult(state.State.UserIdsByUsername.Count > 0);

    public Task<string?> GetFirstAdminIdAsync() => Task.FromResult(state.State.FirstAdminId);

    public Task<string?> FindUserIdAsync(string username) =>
        Task.FromResult(state.State.UserIdsByUsername.GetValueOrDefault(username));

    private async Task<UserInfo> AddAsync(string username, string password, UserRole role)
    {
        UserRules.RequireValidUsername(username);
        UserRules.RequireValidPassword("password", password);
        if (state.State.UserIdsByUsername.ContainsKey(username))
        {
            throw DffException.Duplicated("UsernameTaken", $"Username '{username}' is already taken", new { username });
        }
        var userId = NewUserId();
        var user = await GrainFactory.GetGrain<IUserGrain>(userId).CreateAsync(username, password, role);
        state.State.UserIdsByUsername[username] = userId;
        await state.WriteStateAsync();
        return user;
    }

    private static string NewUserId() => "u-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
