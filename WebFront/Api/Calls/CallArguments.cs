using OrleansFunc.Engine;
using System.Text.Json;
using OrleansFunc.Errors;

namespace OrleansFunc.WebFront.Api.Calls;

/// <summary>
/// Reads a caller's <c>kwargs</c> and <c>options</c>: JSON objects, or JSON strings holding objects
/// (query strings and forms), with every bad shape a 400.43 that names the field.
/// </summary>
public static partial class CallArguments
{
    public static string Kwargs(string? json) => Kwargs(Parse("kwargs", json));

    public static string Kwargs(JsonElement? value) =>
        RequireObject("kwargs", Unwrap("kwargs", value))?.GetRawText() ?? "{}";

    /// <summary>
    /// JSON text whose strings are all text: a lone surrogate escape (<c>"\ud800"</c>) is valid JSON but no character,
    /// and cannot be merged with a link's kwargs, stored or passed on as UTF-8, so it is refused here rather than failing
    /// later as the server's error.
    /// </summary>
    public static JsonElement? RequireUnicode(string field, JsonElement? value)
    {
        // Only text with a surrogate escape (an emoji's pair, or a lone one) is read through.
        if (value is not { } json || !SurrogateEscape().IsMatch(json.GetRawText()))
        {
            return value;
        }
        try
        {
            ReadAllText(json);
        }
        catch (InvalidOperationException)
        {
            throw DffException.BadRequest(SubReason(field), $"'{field}' holds a string that is not text (a lone surrogate escape such as \\ud800)", new { field });
        }
        return value;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\\u[dD][89a-fA-F]")]
    private static partial System.Text.RegularExpressions.Regex SurrogateEscape();

    private static void ReadAllText(JsonElement json)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in json.EnumerateObject())
                {
                    _ = property.Name;
                    ReadAllText(property.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in json.EnumerateArray())
                {
                    ReadAllText(item);
                }
                break;
            case JsonValueKind.String:
                _ = json.GetString();
                break;
        }
    }

    public static CallerOptions Options(string? json, TaskOrigin origin) => Options(Parse("options", json), origin);

    /// <summary>Only the options the call takes are accepted (<see cref="CallerOptions"/>); anything else is refused by name.</summary>
    public static CallerOptions Options(JsonElement? value, TaskOrigin origin) =>
        RequireObject("options", Unwrap("options", value)) is { } options
            ? CallerOptions.Read(options, origin, DateTimeOffset.UtcNow)
            : CallerOptions.None;

    private static JsonElement? Parse(string field, string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw DffException.BadRequest(SubReason(field), $"'{field}' is not valid JSON", new { field });
        }
    }

    /// <summary>A JSON string holding JSON (as forms send it) is read as that JSON; both must be text.</summary>
    private static JsonElement? Unwrap(string field, JsonElement? value) =>
        RequireUnicode(field, value) is { ValueKind: JsonValueKind.String } text ? RequireUnicode(field, Parse(field, text.GetString())) : value;

    private static JsonElement? RequireObject(string field, JsonElement? value) => value switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Object } => value,
        _ => throw DffException.BadRequest(SubReason(field), $"'{field}' must be a JSON object", new { field }),
    };

    private static string SubReason(string field) => field == "kwargs" ? "InvalidKwargs" : "InvalidOptions";
}
