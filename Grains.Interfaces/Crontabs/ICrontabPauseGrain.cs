using OrleansFunc.Common;

namespace OrleansFunc.Crontabs;

/// <summary>A pause of every crontab config at once, for maintenance: until when, by whom, why.</summary>
[GenerateSerializer, Immutable, Alias("of.CrontabPause")]
public sealed record CrontabPause(DateTimeOffset? PausedUntil, string? PausedBy, string Note, DateTimeOffset? PauseTime)
{
    public static readonly CrontabPause None = new(null, null, "", null);

    public bool IsPausedAt(DateTimeOffset time) => PausedUntil > time;
}

/// <summary>The one pause of every crontab config (key <see cref="Key"/>); silos read it through their <c>CrontabPauses</c>.</summary>
[Alias("of.crontab-pause")]
public interface ICrontabPauseGrain : IGrainWithStringKey
{
    const string Key = "all";

    [SafeToRepeat]
    [Alias("get")]
    Task<CrontabPause> GetAsync();

    /// <summary>Pauses every config until <paramref name="until"/> (in the future, at most 30 days away).</summary>
    [Alias("pause")]
    Task<CrontabPause> PauseAsync(DateTimeOffset until, string? note, Actor by);

    [Alias("resume")]
    Task<CrontabPause> ResumeAsync();
}
