using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrleansFunc.Engine;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.Hosting;
using OrleansFunc.Records;

namespace OrleansFunc.Crontabs;

/// <summary>
/// Turns crontab firings into queued runs on the cron lane. The run itself happens in the silos'
/// <see cref="TaskDispatcher"/>, outside the config grain's turn; the firing only writes its task record.
/// </summary>
public sealed partial class CrontabRuns(
    PublishedCodeCache codes, TaskRecordStore tasks, TaskQueueSignal signal, OrleansFuncOptions options, Telemetry.QueueMetrics metrics,
    CrontabPauses pauses, ILogger<CrontabRuns> logger)
{
    private static readonly string SkippedError = JsonSerializer.Serialize(
        new FuncError("PreviousTaskNotFinished", "Previous task not finished", null, ""), JsonSerializerOptions.Web);

    private static readonly string MissedError = JsonSerializer.Serialize(
        new FuncError("FiringNotWritten", "The firing could not be written to the database before the next one was due", null, ""),
        JsonSerializerOptions.Web);

    private static readonly string MissedWhileDownError = JsonSerializer.Serialize(
        new FuncError("ClusterDown", "No silo was running to fire at this minute", null, ""), JsonSerializerOptions.Web);

    /// <summary>The plan of <paramref name="config"/> as its func's current published code says.</summary>
    public async Task<CrontabPlan> PlanAsync(CrontabConfigInfo config)
    {
        var func = await codes.FindFuncAsync(config.FuncId);
        var timeZone = CrontabExpressions.ResolveTimeZone(config.TimeZone);
        var timeout = func?.Timeout ?? options.Engine.Lanes[Lane.Cron].DefaultTimeoutSeconds;
        IReadOnlyList<int> delays = func is { DelayedCrontab.Count: > 0 } ? func.DelayedCrontab : [0];
        if (func?.FixedCrontab is { } fixedExpression)
        {
            try
            {
                return new CrontabPlan(fixedExpression, true, CrontabExpressions.Parse(fixedExpression), timeZone, delays, timeout, func.FixedTaskRecordLimit);
            }
            catch (DffException invalid)
            {
                // Published before the publish check read fixed_crontab: keep the config's own expression.
                LogInvalidFixedCrontab(logger, config.FuncId, invalid.Message);
            }
        }
        return new CrontabPlan(config.Crontab, false, CrontabExpressions.Parse(config.Crontab), timeZone, delays, timeout, func?.FixedTaskRecordLimit);
    }

    /// <summary>
    /// Queues the runs of the firing at <paramref name="minute"/> (one per delay). A firing already
    /// queued is not queued again; a firing while the previous run waits or runs is recorded as skipped.
    /// </summary>
    public async Task FireAsync(CrontabConfigInfo config, CrontabPlan plan, DateTimeOffset minute)
    {
        // Every config paused for maintenance: the minute passes without a run.
        if (await pauses.IsPausedAtAsync(minute))
        {
            return;
        }
        foreach (var (task, delayKey) in FiringTasks(config, plan, minute))
        {
            var status = await tasks.EnqueueCrontabFiringAsync(task, delayKey, SkippedError);
            if (status == TaskStatuses.Queued)
            {
                signal.Notify(Lane.Cron);
            }
            // Null: written before (queued ahead, or by a silo that fired this minute first).
            if (status is not null)
            {
                metrics.RecordFiring(status);
            }
        }
        await PruneRecordsAsync(config, plan);
    }

    /// <summary>
    /// Queues the runs of the firing at <paramref name="minute"/> before it comes, to run at their time; true when every
    /// run was written (nothing is left for the minute to do). A run whose previous one still waits or runs is left for
    /// the minute, which then decides whether it is skipped.
    /// </summary>
    public async Task<bool> QueueAheadAsync(CrontabConfigInfo config, CrontabPlan plan, DateTimeOffset minute)
    {
        if (await pauses.IsPausedAtAsync(minute))
        {
            return true;
        }
        var written = true;
        foreach (var (task, delayKey) in FiringTasks(config, plan, minute))
        {
            if (await tasks.EnqueueCrontabFiringAheadAsync(task, delayKey) == TaskStatuses.Queued)
            {
                signal.NotifyAt(Lane.Cron, task.RunAfter ?? minute);
                metrics.RecordFiring(TaskStatuses.Queued);
            }
            else
            {
                written = false;
            }
        }
        await PruneRecordsAsync(config, plan);
        return written;
    }

    /// <summary>The config's retention, applied with each firing whether the minute or its queue-ahead writes it.</summary>
    private async Task PruneRecordsAsync(CrontabConfigInfo config, CrontabPlan plan)
    {
        if ((plan.FixedTaskRecordLimit ?? config.TaskRecordLimit) is { } keep)
        {
            await tasks.PruneOriginAsync(OriginOf(config), config.Id, keep, CancellationToken.None);
        }
    }

    /// <summary>Takes back the runs queued ahead for <paramref name="minute"/> that have not started (the config changed before it came).</summary>
    public Task CancelQueuedAheadAsync(CrontabConfigInfo config, CrontabPlan plan, DateTimeOffset minute) =>
        tasks.DeleteQueuedAsync(FiringTasks(config, plan, minute).Select(f => f.Task.Id).ToList());

    /// <summary>
    /// Records the firing at <paramref name="minute"/> as missed: it could not be written before the next one was due, or
    /// (<paramref name="whileDown"/>) no silo was running at that minute. Its ID names the minute: recorded once.
    /// </summary>
    public async Task RecordMissedAsync(CrontabConfigInfo config, CrontabPlan plan, DateTimeOffset minute, bool whileDown = false)
    {
        foreach (var (task, _) in FiringTasks(config, plan, minute))
        {
            await tasks.InsertMissedFiringAsync(task, whileDown ? MissedWhileDownError : MissedError);
            metrics.RecordFiring(TaskStatuses.Missed);
        }
    }

    /// <summary>The minute of the config's last scheduled firing on record (run, skipped or missed), or null.</summary>
    public Task<DateTimeOffset?> LastScheduledFiringAsync(CrontabConfigInfo config) => tasks.LastScheduledFiringAsync(config.Id, $"cron-{config.Id}@");

    public Task<bool> IsPausedAtAsync(DateTimeOffset minute) => pauses.IsPausedAtAsync(minute);

    /// <summary>
    /// The one run of a config that catches up on minutes missed while the cluster was down, for the last of them: its ID
    /// names that minute, so a second silo starting the config does not queue it again.
    /// </summary>
    public async Task CatchUpAsync(CrontabConfigInfo config, CrontabPlan plan, DateTimeOffset lastMissed)
    {
        var stamp = lastMissed.UtcDateTime.ToString("yyyyMMdd'T'HHmm", CultureInfo.InvariantCulture);
        var task = NewTask($"cron-{config.Id}@catch-up-{stamp}", config, plan, DateTimeOffset.UtcNow,
            new CrontabFiring(CrontabFiring.CatchUp, plan.Expression, 0), runAfter: null);
        var status = await tasks.EnqueueCrontabFiringAsync(task, "0", SkippedError);
        if (status == TaskStatuses.Queued)
        {
            signal.Notify(Lane.Cron);
        }
    }

    /// <summary>The runs of one firing, one per delay, each with an ID that names the minute (and the delay).</summary>
    private static IEnumerable<(QueuedTask Task, string DelayKey)> FiringTasks(CrontabConfigInfo config, CrontabPlan plan, DateTimeOffset minute)
    {
        var stamp = minute.UtcDateTime.ToString("yyyyMMdd'T'HHmm", CultureInfo.InvariantCulture);
        foreach (var delay in plan.Delays)
        {
            var taskId = delay == 0 ? $"cron-{config.Id}@{stamp}" : $"cron-{config.Id}@{stamp}+{delay}s";
            yield return (NewTask(taskId, config, plan, minute, new CrontabFiring(CrontabFiring.Scheduled, plan.Expression, delay),
                runAfter: minute.AddSeconds(delay)), delay.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Queues one run now, ignoring the func's delays; returns its task ID.</summary>
    public async Task<string> RunNowAsync(CrontabConfigInfo config)
    {
        var plan = await PlanAsync(config);
        var taskId = $"cron-{config.Id}@manual-{Guid.NewGuid():N}";
        await tasks.EnqueueAsync(NewTask(taskId, config, plan, DateTimeOffset.UtcNow, new CrontabFiring(CrontabFiring.Manual, plan.Expression, 0), runAfter: null));
        signal.Notify(Lane.Cron);
        return taskId;
    }

    /// <summary>
    /// An auto-run func's own crontab fires tasks of origin <c>integration</c>, as in 1.x; on the cron lane all the same,
    /// since they are scheduled runs.
    /// </summary>
    private static TaskOrigin OriginOf(CrontabConfigInfo config) =>
        AutoRuns.IsAutoRunCrontab(config.Id) ? TaskOrigin.Integration : TaskOrigin.Crontab;

    private static QueuedTask NewTask(
        string taskId, CrontabConfigInfo config, CrontabPlan plan, DateTimeOffset triggerTime, CrontabFiring firing, DateTimeOffset? runAfter) =>
        new(taskId, OriginOf(config), config.Id, config.FuncId, config.FuncCallKwargsJson, plan.TimeoutSeconds, Lane.Cron,
            Crontab: firing, TriggerTime: triggerTime, RunAfter: runAfter, OnFailure: config.OnFailure);
}
