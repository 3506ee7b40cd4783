namespace OrleansFunc.Crontabs;

/// <summary>A crontab config: runs one func with fixed kwargs on a 5-field crontab schedule.</summary>
/// <param name="PausedUntil">No firing before this time (a pause for maintenance of what the func talks to); null = not paused.</param>
/// <param name="TimeZone">IANA zone the crontab is read in; null = the server's.</param>
/// <param name="TaskRecordLimit">How many finished task records of this config are kept; null = the server's default.</param>
/// <param name="MissedRuns">What happens about minutes missed while the cluster was down.</param>
/// <param name="Retry">How its runs that fail are tried again (a count of 0: never); null = as the func says.</param>
/// <param name="ErrorHandlerFuncId">The func called with the record of a run that failed its last attempt; null = the installation's.</param>
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
    MissedRuns MissedRuns = MissedRuns.Skip,
    Engine.RetryPolicy? Retry = null,
    string? ErrorHandlerFuncId = null) : OrleansFunc.Common.IListed
{
    /// <summary>What its runs' failures ask for, carried by each queued run.</summary>
    public Engine.FailureHandling? OnFailure => Engine.FailureHandling.Of(Retry, ErrorHandlerFuncId);
}

/// <summary>
/// Fields of a crontab config. On update, null keeps a field; <see cref="ClearExpireTime"/> removes
/// the expiry and an empty <see cref="TimeZone"/> goes back to the server's zone; <see cref="ClearRetry"/> goes back to
/// the func's retries (a <see cref="Retry"/> count of 0 asks for none) and an empty <see cref="ErrorHandlerFuncId"/> removes it.
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
    MissedRuns? MissedRuns = null,
    Engine.RetryPolicy? Retry = null,
    bool ClearRetry = false,
    string? ErrorHandlerFuncId = null);

/// <summary>When a config fires next, and by which expression (the func's <c>fixed_crontab</c> wins over the config's).</summary>
[GenerateSerializer, Immutable, Alias("of.CrontabSchedule")]
public sealed record CrontabSchedule(string EffectiveCrontab, bool IsFixedByFunc, DateTimeOffset? NextRunTime);
