using System.Text.Json;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;

namespace OrleansFunc.WebFront.Api.Funcs;

/// <summary>
/// Reads a caller's <c>kwargs</c> and <c>options</c>: JSON objects, or JSON strings holding objects
/// (query strings and forms), with every bad shape a 400.43 that names the field.
/// </summary>
public static class CallArguments
{
    public const int MaxTimeoutSeconds = 3600;

    public static string Kwargs(string? json) => Kwargs(Parse("kwargs", json));

    public static string Kwargs(JsonElement? value) => RequireObject("kwargs", Unwrap("kwargs", value))?.GetRawText() ?? "{}";

    public static FuncCallOptions Options(string? json) => Options(Parse("options", json));

    /// <summary>Only the whitelisted options are accepted; anything else is refused by name.</summary>
    public static FuncCallOptions Options(JsonElement? value)
    {
        if (RequireObject("options", Unwrap("options", value)) is not { } options)
        {
            return new FuncCallOptions(null);
        }
        int? timeout = null;
        foreach (var option in options.EnumerateObject())
        {
            switch (option.Name)
            {
                case "timeout" when option.Value.TryGetInt32(out var seconds) && seconds is >= 1 and <= MaxTimeoutSeconds:
                    timeout = seconds;
                    break;
                case "timeout":
                    throw DffException.BadRequest("InvalidOptions", $"'options.timeout' must be an integer from 1 to {MaxTimeoutSeconds}");
                default:
                    throw DffException.BadRequest("InvalidOptions", $"Option '{option.Name}' cannot be set by a caller",
                        new { option = option.Name, allowed = new[] { "timeout" } });
            }
        }
        return new FuncCallOptions(timeout);
    }

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

    /// <summary>A JSON string holding JSON (as forms send it) is read as that JSON.</summary>
    private static JsonElement? Unwrap(string field, JsonElement? value) =>
        value is { ValueKind: JsonValueKind.String } text ? Parse(field, text.GetString()) : value;

    private static JsonElement? RequireObject(string field, JsonElement? value) => value switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Object } => value,
        _ => throw DffException.BadRequest(SubReason(field), $"'{field}' must be a JSON object", new { field }),
    };

    private static string SubReason(string field) => field == "kwargs" ? "InvalidKwargs" : "InvalidOptions";
}
