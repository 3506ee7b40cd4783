namespace OrleansFunc.Crontabs;

/// <summary>
/// This silo's view of the pause of every crontab config, asked again at most every <see cref="KeptFor"/>: the ten thousand
/// firings of a busy minute cost one grain call, and a pause or a resume reaches every silo within that time (firings
/// already queued ahead of their minute, at most 5 s before it, still run).
/// </summary>
public sealed class CrontabPauses(IGrainFactory grains, TimeProvider clock)
{
    private static readonly TimeSpan KeptFor = TimeSpan.FromSeconds(2);

    private sealed record Known(CrontabPause Pause, DateTimeOffset ReadAt);

    // A reference swapped whole: the grain turns of many configs read it at once.
    private volatile Known? _known;

    /// <summary>Whether the firing of <paramref name="minute"/> falls in the pause.</summary>
    public async Task<bool> IsPausedAtAsync(DateTimeOffset minute)
    {
        var now = clock.GetUtcNow();
        var known = _known;
        if (known is null || now - known.ReadAt > KeptFor)
        {
            known = new Known(await grains.GetGrain<ICrontabPauseGrain>(ICrontabPauseGrain.Key).GetAsync(), now);
            _known = known;
        }
        return known.Pause.IsPausedAt(minute);
    }
}
