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
}

/// <summary>An environment variable as listed and shown.</summary>
[GenerateSerializer, Immutable, Alias("of.EnvVarInfo")]
public sealed record EnvVarInfo(
    string Id,
    string Title,
    string Description,
    string ValueTEXT,
    AutoTypeCasting AutoTypeCasting,
    DateTimeOffset CreateTime,
    DateTimeOffset UpdateTime) : OrleansFunc.Common.IListed;

/// <summary>Fields of an env variable; on update, null keeps the current value.</summary>
[GenerateSerializer, Immutable, Alias("of.EnvVarFields")]
public sealed record EnvVarFields(string? Title, string? Description, string? ValueTEXT, AutoTypeCasting? AutoTypeCasting);
