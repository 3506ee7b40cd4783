using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.Hosting;

namespace OrleansFunc.AuthLinks;

public sealed class AuthLinkGrain : CallEntryGrain<AuthLinkState, AuthLinkInfo, AuthLinkFields>, IAuthLinkGrain
{
    /// <summary>How often changed throttle counters are written behind.</summary>
    private static readonly TimeSpan CounterWriteInterval = TimeSpan.FromSeconds(5);

    private readonly IPersistentState<ThrottleState> _counters;
    private ThrottleWindows _windows = null!;
    private readonly Telemetry.TriggerMetrics _metrics;

    /// <summary>The last calls, newest last; kept in memory only: statistics, not records.</summary>
    private readonly Queue<CallSample> _recentCalls = new();

    public AuthLinkGrain(
        [PersistentState("authLink", OrleansFuncSiloExtensions.StorageName)] IPersistentState<AuthLinkState> state,
        [PersistentState("authLinkThrottle", OrleansFuncSiloExtensions.StorageName)] IPersistentState<ThrottleState> counters,
        Telemetry.TriggerMetrics metrics,
        TimeProvider clock) : base(state, clock)
    {
        _counters = counters;
        _metrics = metrics;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The counters' state object exists only once the activation has read it.
        _windows = new ThrottleWindows(_counters.State);
        this.RegisterGrainTimer(SaveCountersAsync, CounterWriteInterval, CounterWriteInterval);
        await base.OnActivateAsync(cancellationToken);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        await SaveCountersAsync(cancellationToken);

    protected override (string ReasonPrefix, string Noun) Kind => ("AuthLink", "auth link");

    protected override AuthLinkState Created(AuthLinkFields fields, string funcId, DateTimeOffset now) => new()
    {
        Exists = true,
        FuncId = funcId,
        FuncCallKwargsJson = fields.FuncCallKwargsJson ?? "{}",
        Throttling = fields.Throttling ?? new Throttling(),
        ExpireTime = fields.ExpireTime,
        ShowInDoc = fields.ShowInDoc ?? false,
        IsDisabled = fields.IsDisabled ?? false,
        Note = fields.Note ?? "",
        ApiAuthId = ApiAuthAfter(fields.ApiAuthId, null),
        TaskRecordLimit = fields.TaskRecordLimit,
        CreateTime = now,
        UpdateTime = now,
    };

    protected override AuthLinkState Updated(AuthLinkState current, AuthLinkFields fields, DateTimeOffset now) => current with
    {
        FuncId = fields.FuncId ?? current.FuncId,
        FuncCallKwargsJson = fields.FuncCallKwargsJson ?? current.FuncCallKwargsJson,
        Throttling = fields.Throttling ?? current.Throttling,
        ExpireTime = fields.ClearExpireTime ? null : fields.ExpireTime ?? current.ExpireTime,
        ShowInDoc = fields.ShowInDoc ?? current.ShowInDoc,
        IsDisabled = fields.IsDisabled ?? current.IsDisabled,
        Note = fields.Note ?? current.Note,
        ApiAuthId = ApiAuthAfter(fields.ApiAuthId, current.ApiAuthId),
        TaskRecordLimit = fields.TaskRecordLimit ?? current.TaskRecordLimit,
        UpdateTime = now,
    };

    protected override void RequireValidMore(AuthLinkFields fields) => ThrottleRules.RequireValid(fields.Throttling);

    public override async Task DeleteAsync()
    {
        await base.DeleteAsync();
        await _counters.ClearStateAsync();
        _windows = new ThrottleWindows(_counters.State);
    }

    protected override bool CountsCalls => ThrottleRules.CountsCalls(Stored.State.Throttling);

    /// <summary>Per-caller limits need each caller's key: only the link's own windows are handed out in shares.</summary>
    protected override bool SharesCalls => Stored.State.Throttling.PerCaller is null && CountsCalls;

    protected override CallShare TakeShare(int wanted, DateTimeOffset now)
    {
        var (calls, windowEnds) = _windows.Grant(Stored.State.Throttling, wanted, now.ToUnixTimeSeconds());
        var untilWindowEnds = DateTimeOffset.FromUnixTimeSeconds(windowEnds) - now;
        return new CallShare(calls, now.ToUnixTimeSeconds(), untilWindowEnds < CallEntryView.Freshness ? untilWindowEnds : CallEntryView.Freshness);
    }

    protected override void GiveBack(int unused, long grantedAtSecond, DateTimeOffset now) =>
        _windows.GiveBack(Stored.State.Throttling, unused, grantedAtSecond, now.ToUnixTimeSeconds());

    protected override DateTimeOffset? ExpireTime => Stored.State.ExpireTime;

    protected override void RequireOpenMore(DateTimeOffset now)
    {
        if (Stored.State.ExpireTime is { } expiry && expiry <= now)
        {
            throw DffException.Condition("AuthLinkExpired", "This auth link has expired", new { id = Id, expireTime = expiry });
        }
    }

    protected override string? CallerKeyHeaderMissing(CallerIdentity? caller) =>
        Stored.State.Throttling.PerCaller?.HeaderOf() is { } header && !string.Equals(caller?.HeaderName, header, StringComparison.OrdinalIgnoreCase)
            ? header
            : null;

    /// <summary>
    /// The caller's own limits first: a call they refuse does not count against the link's, so one noisy client cannot use
    /// up the link for everyone.
    /// </summary>
    protected override void Count(DateTimeOffset now, CallerIdentity? caller)
    {
        try
        {
            var throttling = Stored.State.Throttling;
            if (throttling.PerCaller is { } perCaller)
            {
                _windows.AdmitCaller(perCaller, perCaller.CallerKey(caller), now.ToUnixTimeSeconds());
            }
            _windows.Admit(throttling, now.ToUnixTimeSeconds());
        }
        catch (DffException)
        {
            _metrics.RecordThrottled(Id);
            throw;
        }
    }

    protected override void RequireRoom(DateTimeOffset now) => _windows.RequireRoom(Stored.State.Throttling, now.ToUnixTimeSeconds());

    public Task RecordCallsAsync(IReadOnlyList<CallSample> calls)
    {
        foreach (var call in calls)
        {
            _recentCalls.Enqueue(call);
        }
        while (_recentCalls.Count > CallStatistics.Window)
        {
            _recentCalls.Dequeue();
        }
        return Task.CompletedTask;
    }

    public Task<CallStatistics> GetStatisticsAsync() => Task.FromResult(RecentCalls.Summarize(_recentCalls));

    protected override AuthLinkInfo ToInfo()
    {
        var s = Stored.State;
        return new AuthLinkInfo(Id, s.FuncId, s.FuncCallKwargsJson, s.Throttling, s.ExpireTime, s.ShowInDoc, s.IsDisabled, s.Note,
            s.CreateTime, s.UpdateTime, s.ApiAuthId, s.TaskRecordLimit);
    }

    private async Task SaveCountersAsync(CancellationToken cancellationToken)
    {
        if (_windows.IsDirty && Stored.State.Exists)
        {
            _windows.MarkSaved();
            await _counters.WriteStateAsync(cancellationToken);
        }
    }

    protected override (string Reason, string Noun) Missing => ("NoSuchAuthLink", "Auth Link");
}
