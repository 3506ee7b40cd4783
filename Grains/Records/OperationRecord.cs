namespace OrleansFunc.Records;

/// <summary>One change made through the API: who, when, what entity, what action, with which outcome.</summary>
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
    string? TraceId);
