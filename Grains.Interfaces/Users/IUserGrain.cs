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
    [SafeToRepeat]
    [Alias("get")]
    Task<UserInfo> GetAsync();

    /// <summary>
    /// The account of a user a sign-in func let in (keyed <c>igu_&lt;md5(funcId)&gt;-&lt;its user ID&gt;</c>, as 1.x): made a member
    /// the first time, its username and name following what the func says; 400.12 when an administrator disabled it.
    /// </summary>
    [Alias("sign-in-through-func")]
    Task<UserInfo> SignInThroughFuncAsync(string funcId, string username, string name);

    /// <summary>Checks a password for sign-in: 400.12 when wrong, 401.16 when disabled.</summary>
    [Alias("verify-password")]
    Task<UserInfo> VerifyPasswordAsync(string password);

    /// <summary>Changes the password after checking the current one.</summary>
    [Alias("change-password")]
    Task ChangePasswordAsync(string currentPassword, string newPassword);

    /// <summary>Changes name and e-mail.</summary>
    [Alias("update-profile")]
    Task<UserInfo> UpdateProfileAsync(ProfileChange change);

    /// <summary>The console's language for the user (null: the browser's).</summary>
    [Alias("set-language")]
    Task<UserInfo> SetLanguageAsync(ConsoleLanguage? language);

    /// <summary>
    /// An administrator's change (role, disable/enable, password reset, profile). The first
    /// administrator cannot be disabled or demoted, and nobody can disable or demote themselves.
    /// </summary>
    [Alias("update")]
    Task<UserInfo> UpdateAsync(UserChange change, Actor actor);

    /// <summary>
    /// The user as a session started at <paramref name="sessionStart"/> acts now (current role);
    /// 401.14 when the user is gone or disabled, or the session began before a disable or password reset.
    /// </summary>
    [SafeToRepeat]
    [Alias("authorize-session")]
    Task<Actor> AuthorizeSessionAsync(DateTimeOffset sessionStart);
}
