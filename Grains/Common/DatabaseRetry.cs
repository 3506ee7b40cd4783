namespace OrleansFunc.Common;

/// <summary>
/// The waits between attempts of a write that acknowledges work while PostgreSQL is away (a firing, a task's
/// completion, the records of synchronous calls): 1 s, doubling, at most 10 s.
/// </summary>
public static class DatabaseRetry
{
    public static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(10);

    /// <summary>The wait after <paramref name="wait"/>.</summary>
    public static TimeSpan After(TimeSpan wait) => wait * 2 < LongestWait ? wait * 2 : LongestWait;
}
