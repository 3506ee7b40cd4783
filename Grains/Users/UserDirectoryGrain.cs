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
        UserRules.RequireValidUsername(username);
        UserRules.RequireValidPassword("password", password);

        var userId = NewUserId();
        var user = await GrainFactory.GetGrain<IUserGrain>(userId).CreateAsync(username, password, UserRole.Admin);
        state.State.UserIdsByUsername[username] = userId;
        state.State.FirstAdminId = userId;
        await state.WriteStateAsync();
        return user;
    }

    public Task<bool> IsSetUpAsync() => Task.FromResult(state.State.UserIdsByUsername.Count > 0);

    public Task<string?> FindUserIdAsync(string username) =>
        Task.FromResult(state.State.UserIdsByUsername.GetValueOrDefault(username));

    private static string NewUserId() => "u-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
