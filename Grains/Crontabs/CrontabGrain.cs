using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.Hosting;

namespace OrleansFunc.Crontabs;

/// <summary>
/// A crontab config. While active it holds a one-shot timer set a few seconds before its next firing
/// (<see cref="QueueAhead"/>): then the firing is written as a queued task record, to run at its minute,
/// whose ID names the minute (so no restart, second silo or grain move can fire that minute again), and
/// the next one is set. Written ahead, the 10,000 firings of a busy minute wait in the queue when it comes
/// instead of being written then. A firing that cannot be written ahead (its previous run still waits) is
/// written at its minute, skipped if that run still waits then. A reminder that ticks ten seconds before
/// each minute re-activates the grain wherever it lives after a crash or a move. Only future minutes are
/// ever set: minutes missed while the cluster was down are not replayed. A grain keyed
/// <see cref="AutoRuns.CrontabKey"/> is an auto-run func's own crontab: set by publishing the func, listed nowhere,
/// closed to the API, and gone once the func no longer asks for it.
/// </summary>
public sealed partial class CrontabGrain(
    [PersistentState("crontabConfig", OrleansFuncSiloExtensions.StorageName)] IPersistentState<CrontabState> state,
    CrontabRuns runs, PublishedCodeCache codes, OrleansFuncOptions options, TimeProvider clock, ILogger<CrontabGrain> logger)
    : DirectoryEntityGrain<CrontabState, CrontabConfigInfo>(state), ICrontabGrain, IRemindable
{
    private const string KeepAliveReminder = "keep-alive";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ReminderLead = TimeSpan.FromSeconds(10);

    /// <summary>How long before its minute a firing is queued (after the reminder's tick, so a new plan is known by then).</summary>
    private static readonly TimeSpan QueueAhead = TimeSpan.FromSeconds(5);

    /// <summary>A timer waits at most this long before it is set again (.NET timers cannot wait 50 days).</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);


    private IGrainTimer? _timer;
    private CrontabPlan? _plan;
    private DateTimeOffset? _nextFiring;
    private bool _reminderRegistered;

    /// <summary>The firing queued ahead of its minute, taken back if the config changes before the minute comes.</summary>
    private (DateTimeOffset Minute, CrontabPlan Plan)? _queuedAhead;

    /// <summary>Firings not written yet, oldest first: asked again until written, or recorded as missed once hopeless.</summary>
    private readonly List<(DateTimeOffset Minute, CrontabPlan Plan)> _unwritten = [];
    private IGrainTimer? _retryTimer;
    private TimeSpan _retryWait = DatabaseRetry.FirstWait;


    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        if (Stored.State.Exists)
        {
            await CatchUpAsync(clock.GetUtcNow());
            await TryScheduleAsync(clock.GetUtcNow());
        }
    }

    /// <summary>Missed minutes recorded at most at one start: older ones are only counted in the log.</summary>
    private const int MaxMissedRecorded = 100;

    /// <summary>
    /// The minutes the config should have fired while no silo held it (the cluster was down, or its silo was lost before it
    /// wrote them) become task records <c>missed</c>; with <see cref="MissedRuns.RunOnce"/> one run is queued now for them.
    /// Counted from the config's last scheduled firing on record (or its last change), so a move between silos misses
    /// nothing; minutes it was disabled, paused or expired do not count. A failure here never keeps it from scheduling.
    /// </summary>
    private async Task CatchUpAsync(DateTimeOffset now)
    {
        var state = Stored.State;
        if (!IsActiveAt(now))
        {
            return;
        }
        try
        {
            var config = ToInfo();
            var plan = await runs.PlanAsync(config);
            var last = await runs.LastScheduledFiringAsync(config);
            var since = last is { } fired && fired > state.UpdateTime ? fired : state.UpdateTime;
            var missed = new List<DateTimeOffset>();
            var total = 0;
            for (var minute = plan.NextAfter(since); minute is { } m && m < now; minute = plan.NextAfter(m))
            {
                if (IsActiveAt(m) && !(state.PausedUntil is { } until && m <= until) && !await runs.IsPausedAtAsync(m))
                {
                    total++;
                    missed.Add(m);
                    if (missed.Count > MaxMissedRecorded)
                    {
                        missed.RemoveAt(0);
                    }
                }
            }
            if (total == 0)
            {
                return;
            }
            foreach (var minute in missed)
            {
                await runs.RecordMissedAsync(config, plan, minute, whileDown: true);
            }
            LogMissedWhileDown(logger, Id, total, missed[0], missed[^1], state.MissedRuns == MissedRuns.RunOnce);
            if (state.MissedRuns == MissedRuns.RunOnce)
            {
                await runs.CatchUpAsync(config, plan, missed[^1]);
            }
        }
        catch (Exception failure)
        {
            LogCatchUpFailed(logger, failure, Id);
        }
    }

    public async Task<CrontabConfigInfo> CreateAsync(CrontabConfigFields fields)
    {
        CallRules.RequireValidId(Id);
        CrontabConfigRules.RequireValid(fields, options.Engine.TaskRecordsPerOrigin);
        if (Stored.State.Exists)
        {
            throw DffException.Duplicated("CrontabConfigExists", $"Crontab config '{Id}' already exists", new { id = Id });
        }
        var funcId = await CallRules.RequireNewFuncIdAsync(GrainFactory, fields.FuncId);
        await FailureHandlingRules.RequireValidAsync(GrainFactory, fields.Retry, fields.ErrorHandlerFuncId);
        CrontabExpressions.Parse(fields.Crontab);
        var now = clock.GetUtcNow();
        var info = await SaveAsync(new CrontabState
        {
            Exists = true,
            FuncId = funcId,
            FuncCallKwargsJson = fields.FuncCallKwargsJson ?? "{}",
            Crontab = fields.Crontab!.Trim(),
            TimeZone = string.IsNullOrEmpty(fields.TimeZone) ? null : fields.TimeZone,
            ExpireTime = fields.ExpireTime,
            IsDisabled = fields.IsDisabled ?? false,
            TaskRecordLimit = fields.TaskRecordLimit,
            Note = fields.Note ?? "",
            PausedUntil = fields.PausedUntil,
            MissedRuns = fields.MissedRuns ?? MissedRuns.Skip,
            Retry = FailureHandlingRules.RetryAfter(fields.Retry, fields.ClearRetry, null),
            ErrorHandlerFuncId = FailureHandlingRules.HandlerAfter(fields.ErrorHandlerFuncId, null),
            CreateTime = now,
            UpdateTime = now,
        });
        // The change is stored: from here on a scheduling hitch is retried, never reported as a failed change.
        await TryScheduleAsync(now);
        return info;
    }

    public Task<CrontabConfigInfo> GetAsync()
    {
        RequireExists();
        return Task.FromResult(ToInfo());
    }

    public async Task<CrontabConfigInfo> UpdateAsync(CrontabConfigFields fields)
    {
        RequireExists();
        RequireNotAutoRun();
        CrontabConfigRules.RequireValid(fields, options.Engine.TaskRecordsPerOrigin);
        if (fields.Crontab is not null)
        {
            CrontabExpressions.Parse(fields.Crontab);
        }
        var current = Stored.State;
        if (fields.FuncId is not null && fields.FuncId != current.FuncId)
        {
            await CallRules.RequireFuncExistsAsync(GrainFactory, fields.FuncId);
        }
        await FailureHandlingRules.RequireValidAsync(GrainFactory, fields.Retry, fields.ErrorHandlerFuncId);
        var now = clock.GetUtcNow();
        var info = await SaveAsync(current with
        {
            FuncId = fields.FuncId ?? current.FuncId,
            FuncCallKwargsJson = fields.FuncCallKwargsJson ?? current.FuncCallKwargsJson,
            Crontab = fields.Crontab?.Trim() ?? current.Crontab,
            TimeZone = fields.TimeZone is null ? current.TimeZone : fields.TimeZone.Length == 0 ? null : fields.TimeZone,
            ExpireTime = fields.ClearExpireTime ? null : fields.ExpireTime ?? current.ExpireTime,
            IsDisabled = fields.IsDisabled ?? current.IsDisabled,
            TaskRecordLimit = fields.TaskRecordLimit ?? current.TaskRecordLimit,
            Note = fields.Note ?? current.Note,
            PausedUntil = fields.ClearPausedUntil ? null : fields.PausedUntil ?? current.PausedUntil,
            MissedRuns = fields.MissedRuns ?? current.MissedRuns,
            Retry = FailureHandlingRules.RetryAfter(fields.Retry, fields.ClearRetry, current.Retry),
            ErrorHandlerFuncId = FailureHandlingRules.HandlerAfter(fields.ErrorHandlerFuncId, current.ErrorHandlerFuncId),
            UpdateTime = now,
        });
        // The change is stored: from here on a scheduling hitch is retried, never reported as a failed change.
        await CancelQueuedAheadAsync(current);
        await TryScheduleAsync(now);
        return info;
    }

    public async Task DeleteAsync()
    {
        RequireExists();
        RequireNotAutoRun();
        await DeleteSelfAsync();
    }

    private async Task DeleteSelfAsync()
    {
        var current = Stored.State;
        await UnlistAndClearAsync();
        await CancelQueuedAheadAsync(current);
        await StopAsync();
    }

    public async Task<string> RunNowAsync()
    {
        RequireExists();
        await CallRules.RequireFuncExistsAsync(GrainFactory, Stored.State.FuncId);
        return await runs.RunNowAsync(ToInfo());
    }

    public async Task<CrontabSchedule> GetScheduleAsync()
    {
        RequireExists();
        var plan = await runs.PlanAsync(ToInfo());
        var now = clock.GetUtcNow();
        var next = IsActiveAt(now) ? plan.NextAfter(NotPausedFrom(now)) : null;
        return new CrontabSchedule(plan.Expression, plan.IsFixedByFunc, next is { } n && IsActiveAt(n) ? n : null);
    }

    public Task WakeAsync() => Task.CompletedTask;

    public async Task SetAutoRunAsync(string crontab)
    {
        if (!IsAutoRun)
        {
            throw DffException.BadRequest("NotAutoRunCrontab", $"Crontab config '{Id}' belongs to no auto-run func", new { id = Id });
        }
        CrontabExpressions.Parse(crontab);
        var current = Stored.State;
        if (current.Exists && current.Crontab == crontab.Trim())
        {
            return;
        }
        var now = clock.GetUtcNow();
        await SaveAsync(new CrontabState
        {
            Exists = true,
            FuncId = AutoRuns.FuncOfCrontab(Id),
            Crontab = crontab.Trim(),
            Note = "integration_config crontab of DFF.API(integration='autoRun')",
            CreateTime = current.Exists ? current.CreateTime : now,
            UpdateTime = now,
        });
        if (current.Exists)
        {
            await CancelQueuedAheadAsync(current);
        }
        await TryScheduleAsync(now);
    }

    /// <summary>
    /// An auto-run func's crontab is what its published options say now (an import or a restore changes them without a
    /// publish): false when the config had to follow them, and was set again or deleted.
    /// </summary>
    private async Task<bool> FollowsItsFuncAsync()
    {
        if (!IsAutoRun)
        {
            return true;
        }
        var wanted = await codes.FindFuncAsync(Stored.State.FuncId) is { } func ? AutoRuns.CrontabOf(func.Info) : null;
        if (wanted == Stored.State.Crontab)
        {
            return true;
        }
        if (wanted is null)
        {
            await DeleteSelfAsync();
        }
        else
        {
            await SetAutoRunAsync(wanted);
        }
        return false;
    }

    private bool IsAutoRun => AutoRuns.IsAutoRunCrontab(Id);

    private void RequireNotAutoRun()
    {
        if (IsAutoRun)
        {
            throw DffException.Condition("AutoRunCrontab",
                $"Crontab config '{Id}' is the integration_config crontab of its func: publish the func to change it", new { id = Id });
        }
    }

    protected override Task UpsertListingAsync(CrontabConfigInfo info) => IsAutoRun ? Task.CompletedTask : base.UpsertListingAsync(info);

    protected override Task ListIfMissingAsync(CrontabConfigInfo info) => IsAutoRun ? Task.CompletedTask : base.ListIfMissingAsync(info);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var now = clock.GetUtcNow();
        if (!IsActiveAt(now))
        {
            await StopAsync();
            return;
        }
        if (!await FollowsItsFuncAsync())
        {
            return;
        }
        // The func may have been published with another fixed_crontab since the timer was set.
        var plan = await runs.PlanAsync(ToInfo());
        if (_timer is null || _plan is null || plan.Expression != _plan.Expression)
        {
            await CancelQueuedAheadAsync(Stored.State);
            await TryScheduleAsync(now);
        }
    }

    /// <summary>
    /// Queues the firing the timer was set for ahead of its minute, then sets the next one; when it cannot be queued
    /// ahead, waits for the minute and writes it then.
    /// </summary>
    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        if (_nextFiring is not { } minute || _plan is not { } plan)
        {
            return;
        }
        var now = clock.GetUtcNow();
        if (now < minute - QueueAhead)
        {
            SetTimer(minute - QueueAhead - now);
            return;
        }
        if (now < minute)
        {
            if (_queuedAhead?.Minute != minute && IsActiveAt(minute) && await TryQueueAheadAsync(minute, plan))
            {
                _queuedAhead = (minute, plan);
            }
            if (_queuedAhead?.Minute == minute)
            {
                await TryScheduleAsync(minute);
            }
            else
            {
                SetTimer(minute - now);
            }
            return;
        }
        if (IsActiveAt(minute) && _queuedAhead?.Minute != minute)
        {
            _unwritten.Add((minute, plan));
            await WriteFiringsAsync();
        }
        // Late by more than a minute (a long pause): the minutes in between are not replayed.
        await TryScheduleAsync(now > minute ? now : minute);
    }

    /// <summary>
    /// Writes the firings not written yet, oldest first. One that cannot be written (PostgreSQL away, or out of
    /// connections) is asked again after a wait; once the config's next firing is due it is hopeless, and is
    /// recorded as missed rather than run late. Its ID names the minute, so no attempt can write it twice.
    /// </summary>
    private async Task WriteFiringsAsync()
    {
        while (_unwritten.Count > 0)
        {
            var (minute, plan) = _unwritten[0];
            try
            {
                if (plan.NextAfter(minute) is { } next && clock.GetUtcNow() >= next)
                {
                    await runs.RecordMissedAsync(ToInfo(), plan, minute);
                    LogFiringMissed(logger, Id, minute);
                }
                else
                {
                    await runs.FireAsync(ToInfo(), plan, minute);
                }
                _unwritten.RemoveAt(0);
                _retryWait = DatabaseRetry.FirstWait;
            }
            catch (Exception failure)
            {
                LogFiringDeferred(logger, failure, Id, minute, _retryWait);
                _retryTimer?.Dispose();
                _retryTimer = this.RegisterGrainTimer(_ => WriteFiringsAsync(),
                    new GrainTimerCreationOptions { DueTime = _retryWait, Period = Timeout.InfiniteTimeSpan, KeepAlive = true });
                _retryWait = DatabaseRetry.After(_retryWait);
                return;
            }
        }
    }

    private async Task<bool> TryQueueAheadAsync(DateTimeOffset minute, CrontabPlan plan)
    {
        try
        {
            return await runs.QueueAheadAsync(ToInfo(), plan, minute);
        }
        catch (Exception failure)
        {
            // The minute writes it, with its retries.
            LogQueueAheadFailed(logger, failure, Id, minute);
            return false;
        }
    }

    /// <summary>
    /// Takes back a firing queued ahead whose minute has not come, written for the config as it was
    /// (<paramref name="before"/>); one whose minute came runs as the config was then.
    /// </summary>
    private async Task CancelQueuedAheadAsync(CrontabState before)
    {
        if (_queuedAhead is not { } ahead || ahead.Minute <= clock.GetUtcNow())
        {
            return;
        }
        _queuedAhead = null;
        try
        {
            await runs.CancelQueuedAheadAsync(InfoOf(before), ahead.Plan, ahead.Minute);
        }
        catch (Exception failure)
        {
            // The change is stored; the firing queued before it runs at its minute as the config was.
            LogQueueAheadNotCancelled(logger, failure, Id, ahead.Minute);
        }
    }

    private async Task TryScheduleAsync(DateTimeOffset after)
    {
        try
        {
            await ScheduleAsync(after);
        }
        catch (Exception failure)
        {
            // The next reminder tick tries again.
            LogSchedulingFailed(logger, failure, Id);
        }
    }

    /// <summary>Sets the timer for the first firing after <paramref name="after"/>, or stops when there is none.</summary>
    private async Task ScheduleAsync(DateTimeOffset after)
    {
        ClearTimer();
        if (!IsActiveAt(clock.GetUtcNow()))
        {
            await StopAsync();
            return;
        }
        _plan = await runs.PlanAsync(ToInfo());
        _nextFiring = _plan.NextAfter(NotPausedFrom(after));
        if (_nextFiring is not { } next || !IsActiveAt(next))
        {
            await StopAsync();
            return;
        }
        SetTimer(next - QueueAhead - clock.GetUtcNow());
        // After the timer: if the reminder cannot be registered yet (a silo still joining), the config
        // fires anyway and the next scheduling tries the reminder again.
        await KeepAliveAsync();
    }

    private void SetTimer(TimeSpan wait)
    {
        _timer?.Dispose();
        var due = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > LongestWait ? LongestWait : wait;
        _timer = this.RegisterGrainTimer(OnTimerAsync,
            new GrainTimerCreationOptions { DueTime = due, Period = Timeout.InfiniteTimeSpan, KeepAlive = true });
    }

    private void ClearTimer()
    {
        _timer?.Dispose();
        _timer = null;
        _nextFiring = null;
    }

    /// <summary>Registers the reminder (once) so that it ticks <see cref="ReminderLead"/> before every minute.</summary>
    private async Task KeepAliveAsync()
    {
        if (_reminderRegistered)
        {
            return;
        }
        if (await this.GetReminder(KeepAliveReminder) is null)
        {
            var now = clock.GetUtcNow();
            var nextMinute = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero).AddMinutes(1);
            var due = nextMinute - ReminderLead - now;
            await this.RegisterOrUpdateReminder(KeepAliveReminder, due < TimeSpan.FromSeconds(1) ? due + ReminderPeriod : due, ReminderPeriod);
        }
        _reminderRegistered = true;
    }

    /// <summary>No firing is due any more (deleted, disabled, expired, or an expression with no next time).</summary>
    private async Task StopAsync()
    {
        ClearTimer();
        if (await this.GetReminder(KeepAliveReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
        _reminderRegistered = false;
    }

    /// <summary>
    /// Where the search for the next firing starts: after <paramref name="after"/>, or at the end of the config's pause
    /// (a firing at that very minute counts). A paused config stays active, its timer set for after the pause.
    /// </summary>
    private DateTimeOffset NotPausedFrom(DateTimeOffset after) =>
        Stored.State.PausedUntil is { } until && until > after ? until.AddTicks(-1) : after;

    private bool IsActiveAt(DateTimeOffset time)
    {
        var s = Stored.State;
        return s.Exists && !s.IsDisabled && (s.ExpireTime is null || s.ExpireTime > time);
    }

    protected override (string Reason, string Noun) Missing => ("NoSuchCrontabConfig", "crontab config");

    protected override CrontabConfigInfo ToInfo() => InfoOf(Stored.State);

    private CrontabConfigInfo InfoOf(CrontabState s) => new(Id, s.FuncId, s.FuncCallKwargsJson, s.Crontab, s.TimeZone, s.ExpireTime, s.IsDisabled,
        s.TaskRecordLimit, s.Note, s.CreateTime, s.UpdateTime, s.PausedUntil, s.MissedRuns, s.Retry, s.ErrorHandlerFuncId);
}
