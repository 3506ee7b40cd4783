using Xunit;

namespace OrleansFunc.Tests.Infrastructure;

/// <summary>
/// Waiting for something another process does: polls until it holds and fails naming what was
/// awaited. The default limit is generous (a loaded machine is slow, not wrong); a test passes a
/// shorter one only where the limit is itself the promise under test.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls <paramref name="probe"/> until <paramref name="isReady"/> says its value is the awaited one; returns it.</summary>
    public static async Task<T> ValueAsync<T>(
        string what, Func<Task<T>> probe, Func<T, bool> isReady, TimeSpan? limit = null, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? DefaultLimit);
        while (true)
        {
            var value = await probe();
            if (isReady(value))
            {
                return value;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Still waiting, after {limit ?? DefaultLimit}, for {what}; last seen: {value}");
            await Task.Delay(interval ?? DefaultInterval);
        }
    }

    public static Task HoldsAsync(string what, Func<Task<bool>> condition, TimeSpan? limit = null, TimeSpan? interval = null) =>
        ValueAsync(what, condition, holds => holds, limit, interval);

    public static Task HoldsAsync(string what, Func<bool> condition, TimeSpan? limit = null, TimeSpan? interval = null) =>
        HoldsAsync(what, () => Task.FromResult(condition()), limit, interval);
}
