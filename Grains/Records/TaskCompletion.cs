namespace OrleansFunc.Records;

/// <summary>How a queued task ended: written to its record by <see cref="TaskRecordStore.CompleteAsync"/>.</summary>
/// <param name="StartTime">When the run began on its worker (its end less its cost), not when it was claimed.</param>
public sealed record TaskCompletion(
    string Id, string Status, DateTimeOffset StartTime, DateTimeOffset EndTime, double Cost, IReadOnlyList<string> PrintLogs,
    string? ResultJson, string? ErrorJson);
