using OrleansFunc.Common;

namespace OrleansFunc.Users;

/// <summary>A user as the API shows it; never carries the password hash.</summary>
/// <param name="SignInFuncId">
/// Set for an account that signs in through a func (<c>DFF.API(integration='signIn')</c>): its password and profile
/// live in the system that func asks.
/// </param>
/// <param name="Language">The console's language the user chose; null: the browser's.</param>
[GenerateSerializer, Immutable, Alias("of.UserInfo")]
public sealed record UserInfo(
    string Id,
    string Username,
    string Name,
    string? Email,
    UserRole Role,
    bool IsDisabled,
    DateTimeOffset CreateTime,
    DateTimeOffset UpdateTime,
    string? SignInFuncId = null,
    ConsoleLanguage? Language = null)
{
    public Actor AsActor() => new(Id, Username, Role);
}

/// <summary>What an administrator changes on an account; null leaves a field as it is.</summary>
/// <param name="Password">A new password (reset); ends every session of the user.</param>
/// <param name="IsDisabled">Disabling ends every session of the user at once.</param>
[GenerateSerializer, Immutable, Alias("of.UserChange")]
public sealed record UserChange(string? Name, string? Email, UserRole? Role, bool? IsDisabled, string? Password);

/// <summary>Fields a user may change on their own profile; null leaves a field as it is.</summary>
[GenerateSerializer, Immutable, Alias("of.ProfileChange")]
public sealed record ProfileChange(string? Name, string? Email);
