using OrleansFunc.Engine;

namespace OrleansFunc.Records;

/// <summary>
/// A run to be done later by the silos' <see cref="TaskDispatcher"/>: persisted as a queued task record
/// before its caller (a batch call, <c>DFF.FUNC</c>, a crontab firing) is answered.
/// </summary>
/// <param name="TimeoutSeconds">The run's time limit; 0 = the func's own or the lane's default.</param>
/// <param name="Crontab">The firing of a crontab config that queued it.</param>
/// <param name="TriggerTime">When the run was asked for; null = now.</param>
/// <param name="RunAfter">Not started before this time (delayed crontab runs); null = at once.</param>
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
    DateTimeOffset? RunAfter = null);
