using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using OrleansFunc.Common;

namespace OrleansFunc.Funcs;

/// <summary>
/// The argument types an exported func's hints may declare (<c>def f(n: int, tags: list[str])</c>): the publish check
/// writes them in the func's kwargs (<c>{"n": {"type": "int"}, "tags": {"type": "list", "items": "str"}}</c>) and the silo
/// converts string values to them before a run. <c>dff_protocol.ARGUMENT_TYPES</c> mirrors these names.
/// </summary>
public enum ArgumentType
{
    [JsonStringEnumMemberName("str")] Str,
    [JsonStringEnumMemberName("int")] Int,
    [JsonStringEnumMemberName("float")] Float,
    [JsonStringEnumMemberName("bool")] Bool,
    [JsonStringEnumMemberName("list")] List,
    [JsonStringEnumMemberName("dict")] Dict,
}

/// <summary>A declared argument type, with the type of a list's items when the hint named one.</summary>
public sealed record ArgumentSpec(ArgumentType Type, ArgumentType? Items)
{
    /// <summary>The typed arguments of a func's described kwargs (<see cref="FuncInfo.KwargsJson"/>); <c>str</c> ones need nothing.</summary>
    public static IReadOnlyDictionary<string, ArgumentSpec> Of(string describedKwargsJson)
    {
        using var described = JsonDocument.Parse(describedKwargsJson);
        var specs = new Dictionary<string, ArgumentSpec>(StringComparer.Ordinal);
        foreach (var parameter in described.RootElement.EnumerateObject())
        {
            if (parameter.Value.ValueKind == JsonValueKind.Object && Read(parameter.Value, "type") is { } type && type != ArgumentType.Str)
            {
                specs[parameter.Name] = new ArgumentSpec(type, Read(parameter.Value, "items"));
            }
        }
        return specs;
    }

    /// <summary>The type as the docs and messages write it: <c>int</c>, <c>list[str]</c>.</summary>
    public override string ToString() => Items is { } items ? $"{WireNames<ArgumentType>.Of(Type)}[{WireNames<ArgumentType>.Of(items)}]" : WireNames<ArgumentType>.Of(Type);

    /// <summary>A value of this type for the call examples.</summary>
    public JsonNode Sample() => Type switch
    {
        ArgumentType.Int => JsonValue.Create(1),
        ArgumentType.Float => JsonValue.Create(1.5),
        ArgumentType.Bool => JsonValue.Create(true),
        ArgumentType.List => new JsonArray(new ArgumentSpec(Items ?? ArgumentType.Str, null).Sample()),
        ArgumentType.Dict => new JsonObject { ["key"] = "value" },
        _ => JsonValue.Create("value"),
    };

    private static ArgumentType? Read(JsonElement spec, string field) =>
        spec.TryGetProperty(field, out var name) && WireNames<ArgumentType>.TryParse(name.GetString(), out var type) ? type : null;
}
