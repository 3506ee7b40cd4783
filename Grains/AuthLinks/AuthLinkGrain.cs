using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.Hosting;

namespace OrleansFunc.AuthLinks;

public sealed class AuthLinkGrain : DirectoryEntityGrain<AuthLinkState, AuthLinkInfo>, IAuthLinkGrain
{
    /// <summary>How often changed throttle counters are written behind.</summary>
    private static readonly TimeSpan CounterWriteInterval = TimeSpan.FromSeconds(5);

    private readonly IPersistentState<ThrottleState> _counters;
    private readonly TimeProvider _clock;
    private ThrottleWindows _windows = null!;

    /// <summary>The last calls, newest last; kept in memory only: statistics, not records.</summary>
    private readonly Queue<CallSample> _recentCalls = new();

    public AuthLinkGrain(
        [PersistentState("authLink", OrleansFuncSiloExtensions.StorageName)] IPersistentState<AuthLinkState> state,
        [PersistentState("authLinkThrottle", OrleansFuncSiloExtensions.StorageName)] IPersistentState<ThrottleState> counters,
        TimeProvider clock) : base(state)
    {
        _counters = counters;
        _clock = clock;
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


    public async Task<AuthLinkInfo> CreateAsync(AuthLinkFields fields)
    {
        CallRules.RequireValidId(Id);
        RequireValidFields(fields);
        if (Stored.State.Exists)
        {
            throw DffException.Duplicated("AuthLinkExists", $"Auth link '{Id}' already exists", new { id = Id });
        }
        var funcId = await CallRules.RequireNewFuncIdAsync(GrainFactory, fields.FuncId);
        var now = _clock.GetUtcNow();
        return await SaveAsync(new AuthLinkState
        {
            Exists = true,
            FuncId = funcId,
            FuncCallKwargsJson = fields.FuncCallKwargsJson ?? "{}",
            Throttling = fields.Throttling ?? new Throttling(),
            ExpireTime = fields.ExpireTime,
            ShowInDoc = fields.ShowInDoc ?? false,
            IsDisabled = fields.IsDisabled ?? false,
            Note = fields.Note ?? "",
            CreateTime = now,
            UpdateTime = now,
        });
    }

    public Task<AuthLinkInfo> GetAsync()
    {
        RequireExists();
        return Task.FromResult(ToInfo());
    }

    public async Task<AuthLinkInfo> UpdateAsync(AuthLinkFields fields)
    {
        RequireExists();
        RequireValidFields(fields);
        if (fields.FuncId is not null && fields.FuncId != Stored.State.FuncId)
        {
            await CallRules.RequireFuncExistsAsync(GrainFactory, fields.FuncId);
        }
        var current = Stored.State;
        return await SaveAsync(current with
        {
            FuncId = fields.FuncId ?? current.FuncId,
            FuncCallKwargsJson = fields.FuncCallKwargsJson ?? current.FuncCallKwargsJson,
            Throttling = fields.Throttling ?? current.Throttling,
            ExpireTime = fields.ClearExpireTime ? null : fields.ExpireTime ?? current.ExpireTime,
            ShowInDoc = fields.ShowInDoc ?? current.ShowInDoc,
            IsDisabled = fields.IsDisabled ?? current.IsDisabled,
            Note = fields.Note ?? current.Note,
            UpdateTime = _clock.GetUtcNow(),
        });
    }

    public async Task DeleteAsync()
    {
        RequireExists();
        await UnlistAndClearAsync();
        await _counters.ClearStateAsync();
        _windows = new ThrottleWindows(_counters.State);
    }

    public Task<CallAdmission> AdmitAsync(string callerKwargsJson)
    {
        var link = Stored.State;
        var now = RequireOpen();
        _windows.Admit(link.Throttling, now.ToUnixTimeSeconds());
        var kwargs = CallRules.MergeKwargs(link.FuncCallKwargsJson, callerKwargsJson, link.FuncId);
        return Task.FromResult(new CallAdmission(link.FuncId, kwargs));
    }

    public Task CheckOpenAsync()
    {
        _windows.RequireRoom(Stored.State.Throttling, RequireOpen().ToUnixTimeSeconds());
        return Task.CompletedTask;
    }

    /// <summary>The time now, once the link is known to exist, be enabled and not have expired.</summary>
    private DateTimeOffset RequireOpen()
    {
        RequireExists();
        var link = Stored.State;
        var now = _clock.GetUtcNow();
        if (link.IsDisabled)
        {
            throw DffException.Condition("AuthLinkDisabled", "This auth link is disabled", new { id = Id });
        }
        if (link.ExpireTime is { } expiry && expiry <= now)
        {
            throw DffException.Condition("AuthLinkExpired", "This auth link has expired", new { id = Id, expireTime = expiry });
        }
        return now;
    }

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
            s.CreateTime, s.UpdateTime);
    }

    private async Task SaveCountersAsync(CancellationToken cancellationToken)
    {
        if (_windows.IsDirty && Stored.State.Exists)
        {
            _windows.MarkSaved();
            await _counters.WriteStateAsync(cancellationToken);
        }
    }

    private static void RequireValidFields(AuthLinkFields fields)
    {
        CallRules.RequireValidTemplate(fields.Note, fields.FuncCallKwargsJson);
        ThrottleRules.RequireValid(fields.Throttling);
    }

    protected override (string Reason, string Noun) Missing => ("NoSuchAuthLink", "Auth Link");
}
