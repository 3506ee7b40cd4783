namespace OrleansFunc.Records;

/// <summary>One change made through the API: who, when, what entity, what action, with which outcome.</summary>
/// <param name="ErrorCode">For a refused change: the envelope's error code (for example 400.43); null when it succeeded.</param>
/// <param name="ErrorReason">For a refused change: the envelope's reason (for example <c>EClientBadRequest.InvalidId</c>).</param>
public sealed record OperationRecord(
    long Id,
    DateTimeOffset Time,
    string? UserId,
    string? Username,
    string Action,
    string EntityType,
    string? EntityId,
    string Method,
    string Path,
    int StatusCode,
    string? ClientIp,
    string? TraceId,
    string? BodySummary = null,
    double? ErrorCode = null,
    string? ErrorReason = null);

/// <summary>Which operation records to list; null fields do not filter.</summary>
public sealed record OperationRecordFilter(
    string? User = null, string? EntityType = null, string? EntityId = null, DateTimeOffset? Since = null, DateTimeOffset? Until = null);
