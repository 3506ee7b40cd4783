namespace OrleansFunc.Records;

/// <summary>How a queued task ended: written to its record by <see cref="TaskRecordStore.CompleteAsync"/>.</summary>
/// <param name="StartTime">When the run began on its worker (its end less its cost), not when it was claimed.</param>
/// <param name="Next">
/// What its failure queues (a retry, or the error handler's call), written in the same transaction as the completion:
/// a failure is never recorded without it, and its ID (naming the first task and the attempt) is written once however
/// many silos complete the task.
/// </param>
public sealed record TaskCompletion(
    string Id, string Status, DateTimeOffset StartTime, DateTimeOffset EndTime, double Cost, IReadOnlyList<string> PrintLogs,
    string? ResultJson, string? ErrorJson, QueuedTask? Next = null);
