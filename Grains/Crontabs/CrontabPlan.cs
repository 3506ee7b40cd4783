using Cronos;

namespace OrleansFunc.Crontabs;

/// <summary>
/// What a config runs when it fires, as its func's published options say now: the expression in
/// effect (the func's <c>fixed_crontab</c> wins over the config's), the delays of its runs, their time limit, and how
/// many task records the func's <c>fixed_task_info_limit</c> keeps (it wins over the config's <c>taskRecordLimit</c>, as in 1.x).
/// </summary>
public sealed record CrontabPlan(
    string Expression, bool IsFixedByFunc, CronExpression Schedule, TimeZoneInfo TimeZone, IReadOnlyList<int> Delays, int TimeoutSeconds,
    int? FixedTaskRecordLimit = null)
{
    /// <summary>The first firing strictly after <paramref name="after"/>, or null if the expression never fires again.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) => Schedule.GetNextOccurrence(after, TimeZone);
}
