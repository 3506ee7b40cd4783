using OrleansFunc.Errors;

namespace OrleansFunc.AuthLinks;

/// <summary>Stored counters of a link's throttle windows (written behind, every few seconds).</summary>
[GenerateSerializer, Alias("of.ThrottleState")]
public sealed class ThrottleState
{
    /// <summary>Rule name → [window index, count].</summary>
    [Id(0)] public Dictionary<string, long[]> Windows { get; set; } = new();

    /// <summary>Rule name → caller key → [window index, count] (per-caller limits).</summary>
    [Id(1)] public Dictionary<string, Dictionary<string, long[]>> Callers { get; set; } = new();
}

/// <summary>
/// Fixed windows aligned to the Unix epoch (<c>floor(now / length)</c>), counted in memory. Every
/// call counts, refused ones too, as in DataFlux Func.
/// </summary>
public sealed class ThrottleWindows(ThrottleState state)
{
    /// <summary>Callers counted per rule at most: past it, the counts of earlier windows go, then the ones counted least.</summary>
    public const int MaxCallersPerRule = 10_000;

    public bool IsDirty { get; private set; }

    /// <summary>
    /// Counts a call of one caller; 429.46 <c>AuthLinkCallerThrottling</c> when the caller is over one of its limits. The
    /// refused call counts against the caller, as DataFlux Func counts refused calls.
    /// </summary>
    public void AdmitCaller(CallerThrottling throttling, string callerKey, long nowSeconds)
    {
        DffException? refusal = null;
        foreach (var (rule, limit, length) in throttling.Rules())
        {
            var window = nowSeconds / length;
            if (!state.Callers.TryGetValue(rule, out var callers))
            {
                state.Callers[rule] = callers = new Dictionary<string, long[]>(StringComparer.Ordinal);
            }
            var count = callers.TryGetValue(callerKey, out var counted) && counted[0] == window ? counted[1] + 1 : 1;
            callers[callerKey] = [window, count];
            if (callers.Count > MaxCallersPerRule)
            {
                Prune(callers, window, callerKey);
            }
            IsDirty = true;
            if (count > limit && refusal is null)
            {
                refusal = new DffException(ErrorKind.RateLimited, "AuthLinkCallerThrottling", "Maximum calling rate of this caller exceeded",
                    new { rule = $"perCaller.{rule}", limit, currentCount = count, waitSeconds = (window + 1) * length - nowSeconds });
            }
        }
        if (refusal is not null)
        {
            throw refusal;
        }
    }

    private static void Prune(Dictionary<string, long[]> callers, long window, string keep)
    {
        foreach (var stale in callers.Where(c => c.Value[0] != window).Select(c => c.Key).ToList())
        {
            callers.Remove(stale);
        }
        foreach (var least in callers.Where(c => c.Key != keep).OrderBy(c => c.Value[1]).Take(callers.Count - MaxCallersPerRule).Select(c => c.Key).ToList())
        {
            callers.Remove(least);
        }
    }

    /// <summary>Counts a call; 429.46 with the rule, limit, count and seconds to wait when one is over.</summary>
    public void Admit(Throttling throttling, long nowSeconds)
    {
        DffException? refusal = null;
        foreach (var (rule, limit, length) in throttling.Rules())
        {
            var window = nowSeconds / length;
            var count = Counted(rule, window) + 1;
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

    /// <summary>A host's share is at most this part of the room left in the fullest window...</summary>
    public const int ShareFraction = 8;

    /// <summary>...and no share smaller than this is handed out: the last calls of a window are counted one by one.</summary>
    public const int SmallestShare = 4;

    /// <summary>
    /// Hands out up to <paramref name="wanted"/> calls of every window at once and counts them now: at most
    /// 1/<see cref="ShareFraction"/> of the room left in the fullest window, none when that is under
    /// <see cref="SmallestShare"/>. So a window's last calls are counted one by one, and a call is refused early only by
    /// what other hosts hold unused, a small part of the room that was left when they took it.
    /// </summary>
    /// <returns>The calls handed out, and the Unix second at which the first of their windows ends.</returns>
    public (int Calls, long WindowEndsAtSecond) Grant(Throttling throttling, int wanted, long nowSeconds)
    {
        var share = wanted;
        var ends = long.MaxValue;
        foreach (var (rule, limit, length) in throttling.Rules())
        {
            var window = nowSeconds / length;
            var count = Counted(rule, window);
            share = (int)Math.Min(share, Math.Max(0, limit - count) / ShareFraction);
            ends = Math.Min(ends, (window + 1) * length);
        }
        if (share < SmallestShare)
        {
            return (0, ends);
        }
        foreach (var (rule, _, length) in throttling.Rules())
        {
            var window = nowSeconds / length;
            var count = Counted(rule, window);
            state.Windows[rule] = [window, count + share];
        }
        IsDirty = true;
        return (share, ends);
    }

    /// <summary>Uncounts the unused calls of a share handed out at <paramref name="grantedAtSecond"/>, in each window still open since.</summary>
    public void GiveBack(Throttling throttling, int unused, long grantedAtSecond, long nowSeconds)
    {
        foreach (var (rule, _, length) in throttling.Rules())
        {
            var window = nowSeconds / length;
            if (grantedAtSecond / length == window && state.Windows.TryGetValue(rule, out var counted) && counted[0] == window)
            {
                counted[1] = Math.Max(0, counted[1] - unused);
                IsDirty = true;
            }
        }
    }

    /// <summary>429.46 when a window is already full, counting nothing.</summary>
    public void RequireRoom(Throttling throttling, long nowSeconds)
    {
        foreach (var (rule, limit, length) in throttling.Rules())
        {
            var window = nowSeconds / length;
            if (Counted(rule, window) is var count && count >= limit)
            {
                throw new DffException(ErrorKind.RateLimited, "AuthLinkThrottling", "Maximum calling rate exceeded",
                    new { rule, limit, currentCount = count, waitSeconds = (window + 1) * length - nowSeconds });
            }
        }
    }

    public void MarkSaved() => IsDirty = false;

    /// <summary>The calls counted by a rule of the link's own in <paramref name="window"/>; 0 when its count is of an earlier window.</summary>
    private long Counted(string rule, long window) => state.Windows.TryGetValue(rule, out var counted) && counted[0] == window ? counted[1] : 0;
}
