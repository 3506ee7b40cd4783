namespace OrleansFunc.Tests.Infrastructure;

/// <summary>Wall-clock minutes for the tests that watch real minute boundaries: crontab firings, per-minute limits.</summary>
public static class MinuteClock
{
    /// <summary>The first minute boundary strictly after <paramref name="time"/>.</summary>
    public static DateTimeOffset NextMinute(DateTimeOffset time) =>
        new DateTimeOffset(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero).AddMinutes(1);

    public static async Task WaitUntilAsync(DateTimeOffset time)
    {
        var wait = time - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }

    /// <summary>Waits until the current second of the minute lies in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public static async Task WaitForSecondOfMinuteAsync(int from, int to)
    {
        while (DateTimeOffset.UtcNow.Second < from || DateTimeOffset.UtcNow.Second > to)
        {
            await Task.Delay(250);
        }
    }
}
