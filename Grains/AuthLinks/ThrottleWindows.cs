using OrleansFunc.Errors;

namespace OrleansFunc.AuthLinks;

/// <summary>Stored counters of a link's throttle windows (written behind, every few seconds).</summary>
[GenerateSerializer, Alias("of.ThrottleState")]
public sealed class ThrottleState
{
    /// <summary>Rule name → [window index, count].</summary>
    [Id(0)] public Dictionary<string, long[]> Windows { get; set; } = new();
}

/// <summary>
/// Fixed windows aligned to the Unix epoch (<c>floor(now / length)</c>), counted in memory. Every
/// call counts, refused ones too, as in DataFlux Func.
/// </summary>
public sealed class ThrottleWindows(ThrottleState state)
{
    public bool IsDirty { get; private set; }

    /// <summary>Counts a call; 429.46 with the rule, limit, count and seconds to wait when one is over.</summary>
    public void Admit(Throttling throttling, long nowSeconds)
    {
        DffException? refusal = null;
        foreach (var (rule, limit, length) in throttling.Rules())
        {
            var window = nowSeconds / length;
            var count = state.Windows.TryGetValue(rule, out var counted) && counted[0] == window ? counted[1] + 1 : 1;
            state.Windows[rule] = [window, count];
            IsDirty = true;
            if (count > limit && refusal is null)
            {
                var waitSeconds = (window + 1) * length - nowSeconds;
                refusal = new DffException(ErrorKind.RateLimited, "AuthLinkThrottling", "Maximum calling rate exceeded",
                    new { rule, limit, currentCount = count, waitSeconds });
            }
        }
        if (refusal is not null)
        {
            throw refusal;
        }
    }

    /// <summary>429.46 when a window is already full, counting nothing.</summary>
    public void RequireRoom(Throttling throttling, long nowSeconds)
    {
        foreach (var (rule, limit, length) in throttling.Rules())
        {
            var window = nowSeconds / length;
            if (state.Windows.TryGetValue(rule, out var counted) && counted[0] == window && counted[1] >= limit)
            {
                throw new DffException(ErrorKind.RateLimited, "AuthLinkThrottling", "Maximum calling rate exceeded",
                    new { rule, limit, currentCount = counted[1], waitSeconds = (window + 1) * length - nowSeconds });
            }
        }
    }

    public void MarkSaved() => IsDirty = false;
}
