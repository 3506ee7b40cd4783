namespace OrleansFunc.Records;

/// <summary>Statuses of a task record.</summary>
public static class TaskStatuses
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Skipped = "skipped";

    /// <summary>A crontab firing that could not be written (PostgreSQL away) before its config's next one was due.</summary>
    public const string Missed = "missed";

    /// <summary>Every status a task record can have (the ends of a run are the engine's).</summary>
    public static readonly IReadOnlyList<string> All =
        [Queued, Running, Engine.FuncRunStatus.Success, Engine.FuncRunStatus.Failure, Engine.FuncRunStatus.Timeout, Skipped, Missed];
}

/// <summary>Which task records a listing shows; each null field lets every value through.</summary>
public sealed record TaskRecordFilter(string? Origin = null, string? OriginId = null, string? FuncId = null, string? Status = null);

/// <summary>One run of a func: what, from where, and how it ended.</summary>
/// <param name="FirstTaskId">For a retry (or the error handler's call), the task of the first attempt; null for a first attempt.</param>
/// <param name="Attempt">1 for a first attempt, then each retry's number.</param>
public sealed record TaskRecord(
    string Id,
    string Origin,
    string OriginId,
    string FuncId,
    string KwargsJson,
    int TimeoutSeconds,
    string Status,
    DateTimeOffset TriggerTime,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime,
    double? Cost,
    string? PrintLogs,
    string? ResultJson,
    string? ErrorJson,
    string FuncChainJson = "[]",
    string ContextJson = "{}",
    DateTimeOffset? RunAfter = null,
    string? FirstTaskId = null,
    int Attempt = 1)
{
    /// <summary>The task of the first attempt of this run: its own ID for a first attempt.</summary>
    public string FirstAttemptId => FirstTaskId ?? Id;
}
