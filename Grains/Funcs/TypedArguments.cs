using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFunc.Errors;

namespace OrleansFunc.Funcs;

/// <summary>
/// Converts the string values of a call's kwargs to the types the func's hints declare: simplified and GET calls send
/// every value as a string. A value that cannot be converted is a 400.43 naming its argument, answered before a worker
/// is used; values of other JSON kinds, and arguments without a declared type, are passed as they came.
/// </summary>
public static class TypedArguments
{
    private static readonly string[] TrueWords = ["true", "1", "yes", "on"];
    private static readonly string[] FalseWords = ["false", "0", "no", "off"];

    public static string Convert(string funcId, IReadOnlyDictionary<string, ArgumentSpec> specs, string kwargsJson)
    {
        if (specs.Count == 0 || JsonNode.Parse(kwargsJson) is not JsonObject kwargs)
        {
            return kwargsJson;
        }
        var changed = false;
        foreach (var (name, spec) in specs)
        {
            if (kwargs[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            {
                kwargs[name] = Converted(funcId, name, spec, value.GetValue<string>());
                changed = true;
            }
            else if (kwargs[name] is JsonArray items && spec.Type == ArgumentType.List)
            {
                // A field sent more than once (?tags=1&tags=2) comes as a list already: its items are strings too.
                kwargs[name] = Items(funcId, name, spec, items, items.ToJsonString());
                changed = true;
            }
        }
        return changed ? kwargs.ToJsonString() : kwargsJson;
    }

    private static JsonNode? Converted(string funcId, string name, ArgumentSpec spec, string text) => spec.Type switch
    {
        ArgumentType.Int => long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number) : throw Refused(funcId, name, spec, text),
        ArgumentType.Float => double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real)
            ? JsonValue.Create(real) : throw Refused(funcId, name, spec, text),
        ArgumentType.Bool => TrueWords.Contains(text.Trim().ToLowerInvariant()) ? JsonValue.Create(true)
            : FalseWords.Contains(text.Trim().ToLowerInvariant()) ? JsonValue.Create(false) : throw Refused(funcId, name, spec, text),
        ArgumentType.List => List(funcId, name, spec, text),
        ArgumentType.Dict => Json(text) is JsonObject dict ? dict : throw Refused(funcId, name, spec, text),
        _ => JsonValue.Create(text),
    };

    /// <summary>A JSON array, or items separated by commas (<c>?tags=a,b</c>); each item converted to the items' type.</summary>
    private static JsonArray List(string funcId, string name, ArgumentSpec spec, string text)
    {
        var trimmed = text.Trim();
        var items = trimmed.StartsWith('[')
            ? Json(trimmed) as JsonArray ?? throw Refused(funcId, name, spec, text)
            : new JsonArray(trimmed.Length == 0 ? [] : trimmed.Split(',').Select(item => (JsonNode?)JsonValue.Create(item.Trim())).ToArray());
        return Items(funcId, name, spec, items, text);
    }

    /// <summary>Each string item converted to the items' type, when the hint names one (<c>list[int]</c>).</summary>
    private static JsonArray Items(string funcId, string name, ArgumentSpec spec, JsonArray items, string text)
    {
        if (spec.Items is not { } itemType)
        {
            return items;
        }
        var itemSpec = new ArgumentSpec(itemType, null);
        try
        {
            return new JsonArray(items.Select(item => item is JsonValue value && value.GetValueKind() == JsonValueKind.String
                ? Converted(funcId, name, itemSpec, value.GetValue<string>())
                : item?.DeepClone()).ToArray());
        }
        catch (DffException)
        {
            throw Refused(funcId, name, spec, text);
        }
    }

    private static JsonNode? Json(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static DffException Refused(string funcId, string name, ArgumentSpec spec, string text) =>
        DffException.BadRequest("InvalidKwargs", $"Argument '{name}' of {funcId} must be {spec}: '{Shortened(text)}' is not",
            new { field = name, funcId, type = spec.ToString() });

    private static string Shortened(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
