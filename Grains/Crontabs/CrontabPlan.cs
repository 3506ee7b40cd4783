using Cronos;

namespace OrleansFunc.Crontabs;

/// <summary>
/// What a config runs when it fires, as its func's published options say now: the expression in
/// effect (the func's <c>fixed_crontab</c> wins over the config's), the delays of its runs, and their time limit.
/// </summary>
public sealed record CrontabPlan(
    string Expression, bool IsFixedByFunc, CronExpression Schedule, TimeZoneInfo TimeZone, IReadOnlyList<int> Delays, int TimeoutSeconds)
{
    /// <summary>The first firing strictly after <paramref name="after"/>, or null if the expression never fires again.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) => Schedule.GetNextOccurrence(after, TimeZone);
}
