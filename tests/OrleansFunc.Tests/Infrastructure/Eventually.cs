using Xunit;

namespace OrleansFunc.Tests.Infrastructure;

/// <summary>
/// Waiting for something another process does: polls until it holds and fails naming what was
/// awaited. The limit is generous (a loaded machine is slow, not wrong); tests assert on what
/// happened, never on how soon.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(30);

    /// <summary>Polls <paramref name="condition"/> every <paramref name="interval"/> (default 50 ms) until it is true.</summary>
    public static async Task HoldsAsync(string what, Func<Task<bool>> condition, TimeSpan? limit = null, TimeSpan? interval = null)
    {
        await ValueAsync(what, async () => await condition() ? true : (bool?)null, limit, interval);
    }

    /// <summary>Polls <paramref name="probe"/> until it gives a value; returns it.</summary>
    public static async Task<T> ValueAsync<T>(string what, Func<Task<T?>> probe, TimeSpan? limit = null, TimeSpan? interval = null)
        where T : struct
    {
        var deadline = DateTime.UtcNow + (limit ?? DefaultLimit);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Still waiting, after {limit ?? DefaultLimit}, for {what}");
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(50));
        }
    }
}
