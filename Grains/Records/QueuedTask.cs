using OrleansFunc.Engine;

namespace OrleansFunc.Records;

/// <summary>
/// A run to be done later by the silos' <see cref="TaskDispatcher"/>: persisted as a queued task record
/// before its caller (a batch call, <c>DFF.FUNC</c>, a crontab firing) is answered.
/// </summary>
/// <param name="TimeoutSeconds">The run's time limit; 0 = the func's own or the lane's default.</param>
/// <param name="Crontab">The firing of a crontab config that queued it.</param>
/// <param name="TriggerTime">When the run was asked for; null = now.</param>
/// <param name="RunAfter">Not started before this time (delayed crontab runs, retries); null = at once.</param>
/// <param name="OnFailure">The retries and error handler its batch or crontab config asks for (kept in its context).</param>
/// <param name="FirstTaskId">For a retry or an error handler's call, the task of the first attempt.</param>
/// <param name="Attempt">1 for a first attempt, then each retry's number.</param>
/// <param name="HttpRequestJson">The request that queued it (a batch call), as its run sees <c>_DFF_HTTP_REQUEST</c>.</param>
/// <param name="Caller">For a <c>DFF.FUNC</c> call, the run that made it, whose task and exec mode its run inherits.</param>
public sealed record QueuedTask(
    string Id,
    TaskOrigin Origin,
    string OriginId,
    string FuncId,
    string KwargsJson,
    int TimeoutSeconds,
    Lane Lane = Lane.Batch,
    string FuncChainJson = "[]",
    CrontabFiring? Crontab = null,
    DateTimeOffset? TriggerTime = null,
    DateTimeOffset? RunAfter = null,
    FailureHandling? OnFailure = null,
    string? FirstTaskId = null,
    int Attempt = 1,
    string? HttpRequestJson = null,
    CallingRun? Caller = null);

/// <summary>What a <c>DFF.FUNC</c> child inherits of the run that queued it, as 1.x's <c>_call_func</c> passed it on.</summary>
/// <param name="TaskId">The caller's task: the child's <c>_DFF_ROOT_TASK_ID</c>.</param>
/// <param name="ExecMode">The caller's <c>_DFF_EXEC_MODE</c>.</param>
public sealed record CallingRun(string TaskId, string ExecMode);
