using OrleansFunc.Common;
namespace OrleansFunc.Crontabs;

/// <summary>
/// One crontab config, keyed by its ID. While active (not disabled, not expired) it fires at each
/// minute its expression names: a reminder keeps it alive across restarts and silos, a timer fires it.
/// </summary>
[Alias("of.crontab")]
public interface ICrontabGrain : IGrainWithStringKey
{
    [Alias("create")]
    Task<CrontabConfigInfo> CreateAsync(CrontabConfigFields fields);

    [SafeToRepeat]
    [Alias("get")]
    Task<CrontabConfigInfo> GetAsync();

    [Alias("update")]
    Task<CrontabConfigInfo> UpdateAsync(CrontabConfigFields fields);

    [Alias("delete")]
    Task DeleteAsync();

    /// <summary>Queues one run now ("manual" exec mode, no delays); returns its task ID.</summary>
    [Alias("runNow")]
    Task<string> RunNowAsync();

    /// <summary>The expression in effect and the next firing (null when inactive).</summary>
    [SafeToRepeat]
    [Alias("schedule")]
    Task<CrontabSchedule> GetScheduleAsync();

    /// <summary>Activates the config so that it schedules its next firing (sent to every config when a silo starts).</summary>
    [SafeToRepeat]
    [Alias("wake")]
    Task WakeAsync();

    /// <summary>
    /// Makes this grain (keyed <c>autoRun.crontab-&lt;funcId&gt;</c>) fire its auto-run func on <paramref name="crontab"/>, the
    /// func's <c>integration_config</c>; such a config is listed nowhere and changed only by publishing the func.
    /// </summary>
    [SafeToRepeat]
    [Alias("setAutoRun")]
    Task SetAutoRunAsync(string crontab);
}
