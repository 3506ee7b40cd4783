namespace OrleansFunc.Crontabs;

/// <summary>A crontab config: runs one func with fixed kwargs on a 5-field crontab schedule.</summary>
/// <param name="PausedUntil">No firing before this time (a pause for maintenance of what the func talks to); null = not paused.</param>
/// <param name="TimeZone">IANA zone the crontab is read in; null = the server's.</param>
/// <param name="TaskRecordLimit">How many finished task records of this config are kept; null = the server's default.</param>
/// <param name="MissedRuns">What happens about minutes missed while the cluster was down.</param>
[GenerateSerializer, Immutable, Alias("of.CrontabConfigInfo")]
public sealed record CrontabConfigInfo(
    string Id,
    string FuncId,
    string FuncCallKwargsJson,
    string Crontab,
    string? TimeZone,
    DateTimeOffset? ExpireTime,
    bool IsDisabled,
    int? TaskRecordLimit,
    string Note,
    DateTimeOffset CreateTime,
    DateTimeOffset UpdateTime,
    DateTimeOffset? PausedUntil = null,
    MissedRuns MissedRuns = MissedRuns.Skip) : OrleansFunc.Common.IListed;

/// <summary>
/// Fields of a crontab config. On update, null keeps a field; <see cref="ClearExpireTime"/> removes
/// the expiry and an empty <see cref="TimeZone"/> goes back to the server's zone.
/// </summary>
[GenerateSerializer, Immutable, Alias("of.CrontabConfigFields")]
public sealed record CrontabConfigFields(
    string? FuncId,
    string? FuncCallKwargsJson,
    string? Crontab,
    string? TimeZone,
    DateTimeOffset? ExpireTime,
    bool ClearExpireTime,
    bool? IsDisabled,
    int? TaskRecordLimit,
    string? Note,
    DateTimeOffset? PausedUntil = null,
    bool ClearPausedUntil = false,
    MissedRuns? MissedRuns = null);

/// <summary>When a config fires next, and by which expression (the func's <c>fixed_crontab</c> wins over the config's).</summary>
[GenerateSerializer, Immutable, Alias("of.CrontabSchedule")]
public sealed record CrontabSchedule(string EffectiveCrontab, bool IsFixedByFunc, DateTimeOffset? NextRunTime);
