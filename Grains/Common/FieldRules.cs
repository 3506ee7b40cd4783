using System.Text.RegularExpressions;
using OrleansFunc.Errors;

namespace OrleansFunc.Common;

/// <summary>Checks shared by every entity: identifier syntax and text lengths.</summary>
public static partial class FieldRules
{
    public const int MaxTitleLength = 256;
    public const int MaxDescriptionLength = 5000;

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    public static partial Regex IdentifierPattern();

    /// <summary>400.43 unless <paramref name="value"/> is an identifier of 1…<paramref name="maxLength"/> chars.</summary>
    public static void RequireIdentifier(string field, string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw DffException.BadRequest("InvalidId", $"'{field}' is required", new { field });
        }
        if (value.Length > maxLength)
        {
            throw DffException.BadRequest("InvalidId",
                $"'{field}' is {value.Length} characters long; at most {maxLength} are allowed",
                new { field, maxLength });
        }
        if (!IdentifierPattern().IsMatch(value))
        {
            throw DffException.BadRequest("InvalidId",
                $"'{field}' must start with a letter or '_' and contain only letters, digits and '_': '{value}'",
                new { field, value });
        }
    }

    /// <summary>400.43 when a text is longer than allowed.</summary>
    public static void RequireMaxLength(string field, string? value, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            throw DffException.BadRequest("FieldTooLong",
                $"'{field}' is {value.Length} characters long; at most {maxLength} are allowed",
                new { field, maxLength });
        }
    }

    public static void RequireTitleAndDescription(string? title, string? description)
    {
        RequireMaxLength("title", title, MaxTitleLength);
        RequireMaxLength("description", description, MaxDescriptionLength);
    }
}
