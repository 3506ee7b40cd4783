using OrleansFunc.Common;

namespace OrleansFunc.Users;

/// <summary>One user account, keyed by user ID.</summary>
[Alias("of.user")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Creates the account; only the user directory calls this.</summary>
    [Alias("create")]
    Task<UserInfo> CreateAsync(string username, string password, UserRole role);

    /// <summary>The account, or 404.41 when it does not exist.</summary>
    [Alias("get")]
    Task<UserInfo> GetAsync();

    /// <summary>Checks a password for sign-in: 400.12 when wrong, 401.16 when disabled.</summary>
    [Alias("verify-password")]
    Task<UserInfo> VerifyPasswordAsync(string password);

    /// <summary>Changes the password after checking the current one.</summary>
    [Alias("change-password")]
    Task ChangePasswordAsync(string currentPassword, string newPassword);

    /// <summary>Changes name and e-mail.</summary>
    [Alias("update-profile")]
    Task<UserInfo> UpdateProfileAsync(ProfileChange change);
}
