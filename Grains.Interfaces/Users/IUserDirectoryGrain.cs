using OrleansFunc.Common;

namespace OrleansFunc.Users;

/// <summary>
/// The one username → user ID index (key <see cref="Key"/>); being a single activation, it also
/// makes "create the first administrator only while no user exists" atomic.
/// </summary>
[Alias("of.user-directory")]
public interface IUserDirectoryGrain : IGrainWithStringKey
{
    const string Key = "all";

    /// <summary>Creates the first administrator; 403.21 once any user exists.</summary>
    [Alias("setup")]
    Task<UserInfo> SetupFirstAdminAsync(string username, string password);

    /// <summary>Whether the setup has been done.</summary>
    [SafeToRepeat]
    [Alias("is-set-up")]
    Task<bool> IsSetUpAsync();

    /// <summary>Adds a user; 409.42 when the username is taken.</summary>
    [Alias("create-user")]
    Task<UserInfo> CreateUserAsync(string username, string password, UserRole role);

    /// <summary>Lists an account that signs in through a func (its username is the other system's: not indexed here).</summary>
    [SafeToRepeat]
    [Alias("add-func-user")]
    Task AddFuncUserAsync(string userId);

    /// <summary>Every user ID: the accounts of this installation ordered by username, then those of sign-in funcs.</summary>
    [SafeToRepeat]
    [Alias("list-user-ids")]
    Task<IReadOnlyList<string>> ListUserIdsAsync();

    /// <summary>The ID of the administrator made by the setup, or null before it.</summary>
    [SafeToRepeat]
    [Alias("first-admin")]
    Task<string?> GetFirstAdminIdAsync();

    /// <summary>The user ID of a username, or null.</summary>
    [SafeToRepeat]
    [Alias("find")]
    Task<string?> FindUserIdAsync(string username);
}
