using System.Text.RegularExpressions;
using OrleansFunc.Common;
using OrleansFunc.Errors;

namespace OrleansFunc.Users;

/// <summary>Username, password and profile rules.</summary>
public static partial class UserRules
{
    public const int MaxUsernameLength = 30;
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 100;
    public const int MaxNameLength = 50;
    public const int MaxEmailLength = 100;

    [GeneratedRegex("^[A-Za-z0-9_.@-]+$")]
    private static partial Regex UsernamePattern();

    public static void RequireValidUsername(string? username)
    {
        if (string.IsNullOrEmpty(username))
        {
            throw DffException.BadRequest("InvalidUsername", "'username' is required", new { field = "username" });
        }
        FieldRules.RequireMaxLength("username", username, MaxUsernameLength);
        if (!UsernamePattern().IsMatch(username))
        {
            throw DffException.BadRequest("InvalidUsername",
                "'username' may contain only letters, digits and '_', '.', '@', '-'", new { field = "username" });
        }
    }

    public static void RequireValidPassword(string field, string? password)
    {
        if (password is null || password.Length < MinPasswordLength)
        {
            throw DffException.BadRequest("WeakPassword",
                $"'{field}' must be at least {MinPasswordLength} characters long", new { field, minLength = MinPasswordLength });
        }
        FieldRules.RequireMaxLength(field, password, MaxPasswordLength);
    }

    public static void RequireValidProfile(ProfileChange change)
    {
        FieldRules.RequireMaxLength("name", change.Name, MaxNameLength);
        FieldRules.RequireMaxLength("email", change.Email, MaxEmailLength);
        if (!string.IsNullOrEmpty(change.Email) && !change.Email.Contains('@'))
        {
            throw DffException.BadRequest("InvalidEmail", "'email' is not an e-mail address", new { field = "email" });
        }
    }
}
