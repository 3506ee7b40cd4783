using OrleansFunc.Common;
using System.Text.Json.Serialization;

namespace OrleansFunc.ApiAuths;

/// <summary>How an API authentication method checks a caller (DataFlux Func's names).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApiAuthType>))]
public enum ApiAuthType
{
    /// <summary>A header or query field with a fixed value (any of the listed fields).</summary>
    [JsonStringEnumMemberName("fixedField")] FixedField,

    /// <summary>HTTP Basic with one of the listed users (passwords stored hashed).</summary>
    [JsonStringEnumMemberName("httpBasic")] HttpBasic,

    /// <summary>A func that gets the request (<c>_DFF_HTTP_REQUEST</c>) and answers a true value to let the call in.</summary>
    [JsonStringEnumMemberName("func")] Func,
}

/// <summary>Where a fixed field is looked for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApiAuthFieldLocation>))]
public enum ApiAuthFieldLocation
{
    [JsonStringEnumMemberName("header")] Header,
    [JsonStringEnumMemberName("query")] Query,
}

/// <summary>A fixed field a caller sends.</summary>
[GenerateSerializer, Immutable, Alias("of.ApiAuthField")]
public sealed record ApiAuthField(ApiAuthFieldLocation Location, string Name, string Value);

/// <summary>A user of an HTTP Basic method; <paramref name="Password"/> is never answered (null), and null on update keeps it.</summary>
[GenerateSerializer, Immutable, Alias("of.ApiAuthUser")]
public sealed record ApiAuthUser(string Username, string? Password);

/// <summary>
/// An API authentication method that auth links and batches attach (<c>apiAuthId</c>). Its fixed field values are
/// answered to signed-in users by <c>get</c> (the call examples show them), blank in listings; its users' passwords never.
/// </summary>
[GenerateSerializer, Immutable, Alias("of.ApiAuthInfo")]
public sealed record ApiAuthInfo(
    string Id,
    string Name,
    ApiAuthType Type,
    IReadOnlyList<ApiAuthField> Fields,
    IReadOnlyList<ApiAuthUser> Users,
    string? FuncId,
    string Note,
    DateTimeOffset CreateTime,
    DateTimeOffset UpdateTime) : OrleansFunc.Common.IListed;

/// <summary>Fields of a method; on update null keeps a field (the type cannot change).</summary>
[GenerateSerializer, Immutable, Alias("of.ApiAuthFields")]
public sealed record ApiAuthFields(
    string? Name,
    ApiAuthType? Type,
    IReadOnlyList<ApiAuthField>? Fields,
    IReadOnlyList<ApiAuthUser>? Users,
    string? FuncId,
    string? Note);

/// <summary>What a front end checks a call against: the fields' values, the users' password hashes, the func.</summary>
/// <param name="Version">Changes with every change of the method (a front end's memory of checked passwords keys on it).</param>
[GenerateSerializer, Immutable, Alias("of.ApiAuthCheck")]
public sealed record ApiAuthCheck(
    string Id,
    ApiAuthType Type,
    IReadOnlyList<ApiAuthField> Fields,
    IReadOnlyDictionary<string, string> PasswordHashesByUsername,
    string? FuncId,
    long Version);

/// <summary>One API authentication method, keyed by its ID.</summary>
[Alias("of.api-auth")]
public interface IApiAuthGrain : IGrainWithStringKey
{
    [Alias("create")]
    Task<ApiAuthInfo> CreateAsync(ApiAuthFields fields);

    /// <summary>The method, or 404.41.</summary>
    [SafeToRepeat]
    [Alias("get")]
    Task<ApiAuthInfo> GetAsync();

    /// <summary>What a call is checked against, or null when the method does not exist (a call then fails closed).</summary>
    [SafeToRepeat]
    [Alias("get-check")]
    Task<ApiAuthCheck?> GetCheckAsync();

    [Alias("update")]
    Task<ApiAuthInfo> UpdateAsync(ApiAuthFields fields);

    [Alias("delete")]
    Task DeleteAsync();
}
