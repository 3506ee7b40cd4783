using System.Text.Json.Serialization;

namespace OrleansFunc.Records;

/// <summary>
/// One request a WebFront answered slowly or with an error (4xx/5xx). The path has no query string: a query may carry
/// secrets (a sign-in token, a link's arguments).
/// </summary>
public sealed record RequestLogEntry(
    long Id, DateTimeOffset Time, string Method, string Path, int StatusCode, int CostMs, bool Slow, string TraceId,
    string? ClientIp, string? UserId, string Host);

/// <summary>Which entries a listing shows.</summary>
public enum RequestLogKind
{
    /// <summary>Slow or failed.</summary>
    [JsonStringEnumMemberName("all")]
    All,

    /// <summary>Over the slow-request threshold.</summary>
    [JsonStringEnumMemberName("slow")]
    Slow,

    /// <summary>Answered 4xx or 5xx.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
}
