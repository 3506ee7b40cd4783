using OrleansFunc.Common;

namespace OrleansFunc.Users;

/// <summary>Stored state of a user grain.</summary>
[GenerateSerializer, Alias("of.UserState")]
public sealed record UserState
{
    [Id(0)] public bool Exists { get; init; }
    [Id(1)] public string Username { get; init; } = "";
    [Id(2)] public string PasswordHash { get; init; } = "";
    [Id(3)] public string Name { get; init; } = "";
    [Id(4)] public string? Email { get; init; }
    [Id(5)] public UserRole Role { get; init; }
    [Id(6)] public bool IsDisabled { get; init; }
    [Id(7)] public DateTimeOffset CreateTime { get; init; }
    [Id(8)] public DateTimeOffset UpdateTime { get; init; }

    /// <summary>Sessions started before this time no longer work (set by a disable or a password reset).</summary>
    [Id(9)] public DateTimeOffset SessionsValidFrom { get; init; }

    /// <summary>The <c>integration='signIn'</c> func the account signs in through (it has no password here), or null.</summary>
    [Id(10)] public string? SignInFuncId { get; init; }

    /// <summary>The console's language the user chose (kept here so that it follows them to another browser), or null.</summary>
    [Id(11)] public ConsoleLanguage? Language { get; init; }
}
