using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansFunc.WebFront.Http;

/// <summary>The JSON envelope of every successful API response (SPEC A).</summary>
public sealed record Envelope<T>(
    bool Ok,
    double Error,
    string Message,
    T? Data,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PageInfo? PageInfo,
    string TraceId,
    DateTimeOffset ReqTime,
    DateTimeOffset RespTime,
    long ReqCost);

/// <summary>The envelope of an error: the HTTP status is the integer part of <see cref="Error"/>.</summary>
public sealed record ErrorEnvelope(
    bool Ok,
    double Error,
    string Reason,
    string Message,
    JsonElement? Detail,
    object? Data,
    string TraceId,
    DateTimeOffset ReqTime,
    DateTimeOffset RespTime,
    long ReqCost);

/// <summary>Paging facts of a listing, named as in DataFlux Func.</summary>
public sealed record PageInfo(
    string PagingStyle,
    int PageSize,
    int Count,
    int TotalCount,
    int PageNumber,
    int PageCount,
    bool IsFirstPage);
