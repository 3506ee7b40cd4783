using System.Text.Json.Serialization;

namespace OrleansFunc.EnvVars;

/// <summary>How <c>DFF.ENV</c> converts an env variable's text (reference section 8).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AutoTypeCasting>))]
public enum AutoTypeCasting
{
    [JsonStringEnumMemberName("string")] String,
    [JsonStringEnumMemberName("integer")] Integer,
    [JsonStringEnumMemberName("float")] Float,
    [JsonStringEnumMemberName("boolean")] Boolean,
    [JsonStringEnumMemberName("json")] Json,
    [JsonStringEnumMemberName("commaArray")] CommaArray,

    /// <summary>A secret (DataFlux Func 2024): read by scripts as text, sealed at rest, never answered, masked in logs.</summary>
    [JsonStringEnumMemberName("password")] Password,
}

/// <summary>An environment variable as listed and shown; a <see cref="AutoTypeCasting.Password"/> one never shows its value.</summary>
[GenerateSerializer, Immutable, Alias("of.EnvVarInfo")]
public sealed record EnvVarInfo(
    string Id,
    string Title,
    string Description,
    string ValueTEXT,
    AutoTypeCasting AutoTypeCasting,
    DateTimeOffset CreateTime,
    DateTimeOffset UpdateTime) : OrleansFunc.Common.IListed;

/// <summary>
/// Fields of an env variable; on update, null keeps the current value. A password variable keeps its secret unless
/// a value is typed, and turns into another type only with its value typed again.
/// </summary>
[GenerateSerializer, Immutable, Alias("of.EnvVarFields")]
public sealed record EnvVarFields(string? Title, string? Description, string? ValueTEXT, AutoTypeCasting? AutoTypeCasting);

/// <summary>What <c>DFF.ENV</c> reads: the value in plain text (opened, for a password variable), which only a worker gets.</summary>
[GenerateSerializer, Immutable, Alias("of.EnvVarValue")]
public sealed record EnvVarValue(string Id, string ValueTEXT, AutoTypeCasting AutoTypeCasting)
{
    public bool IsSecret => AutoTypeCasting == AutoTypeCasting.Password;
}
