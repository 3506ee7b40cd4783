using Microsoft.Extensions.DependencyInjection;
using OrleansFunc.Common;
using OrleansFunc.Errors;

namespace OrleansFunc.Funcs;

/// <summary>
/// What auth links and batches share: creation and update checked by <see cref="CallRules"/>, and the
/// admission of a call (exists, enabled, then what the kind adds, then the kwargs merged with the template).
/// A kind says how it builds and updates its state, may refuse more (<see cref="RequireOpenMore"/>), and may
/// count each call against limits of its own (<see cref="Count"/>, with <see cref="RequireRoom"/> as its dry run).
/// </summary>
public abstract class CallEntryGrain<TState, TInfo, TFields>(IPersistentState<TState> stored, TimeProvider clock)
    : DirectoryEntityGrain<TState, TInfo>(stored), ICallEntryGrain<TInfo, TFields>
    where TState : ICallEntryState
    where TInfo : IListed
    where TFields : ICallEntryFields
{
    protected TimeProvider Clock => clock;

    /// <summary>The kind in words and in error reasons: ("AuthLink", "auth link").</summary>
    protected abstract (string ReasonPrefix, string Noun) Kind { get; }

    /// <summary>The state of a new entry.</summary>
    protected abstract TState Created(TFields fields, string funcId, DateTimeOffset now);

    /// <summary>The state after an update: each null field keeps its value.</summary>
    protected abstract TState Updated(TState current, TFields fields, DateTimeOffset now);

    /// <summary>Checks the fields beyond the kwargs template and note every entry has.</summary>
    protected virtual void RequireValidMore(TFields fields)
    {
    }

    /// <summary>Checks the fields that name other things (404.41 for one that does not exist).</summary>
    protected virtual Task RequireValidReferencesAsync(TFields fields) => Task.CompletedTask;

    /// <summary>What the failure of a run the entry queues asks for (a batch's retries and error handler).</summary>
    protected virtual Engine.FailureHandling? OnFailure => null;

    /// <summary>Whether the entry counts its calls (throttling): then only it may admit them, or hand them out in shares.</summary>
    protected virtual bool CountsCalls => false;

    /// <summary>Whether the entry may hand its calls out to hosts in shares (<see cref="TakeShare"/>): counted without knowing the caller.</summary>
    protected virtual bool SharesCalls => false;

    /// <summary>Hands out up to <paramref name="wanted"/> calls, counted now; none when the room left is small.</summary>
    protected virtual CallShare TakeShare(int wanted, DateTimeOffset now) => CallShare.None(now);

    /// <summary>Uncounts the unused calls of a share handed out at <paramref name="grantedAtSecond"/> in the windows still open since.</summary>
    protected virtual void GiveBack(int unused, long grantedAtSecond, DateTimeOffset now)
    {
    }

    /// <summary>When the entry stops taking calls (an auth link's expiry).</summary>
    protected virtual DateTimeOffset? ExpireTime => null;

    /// <summary>Refuses a call for a reason of the kind's own state (an expiry).</summary>
    protected virtual void RequireOpenMore(DateTimeOffset now)
    {
    }

    /// <summary>Counts a call against the kind's limits, refusing it when over one (the refused call counts too).</summary>
    protected virtual void Count(DateTimeOffset now, CallerIdentity? caller)
    {
    }

    /// <summary>The header the kind tells callers apart by, when <paramref name="caller"/> does not carry it yet.</summary>
    protected virtual string? CallerKeyHeaderMissing(CallerIdentity? caller) => null;

    /// <summary>Refuses a call <see cref="Count"/> would refuse, counting nothing.</summary>
    protected virtual void RequireRoom(DateTimeOffset now)
    {
    }

    public async Task<TInfo> CreateAsync(TFields fields)
    {
        CallRules.RequireValidId(Id);
        RequireValid(fields);
        await RequireApiAuthExistsAsync(fields.ApiAuthId);
        await RequireValidReferencesAsync(fields);
        if (Exists)
        {
            var noun = char.ToUpperInvariant(Kind.Noun[0]) + Kind.Noun[1..];
            throw DffException.Duplicated($"{Kind.ReasonPrefix}Exists", $"{noun} '{Id}' already exists", new { id = Id });
        }
        var funcId = await CallRules.RequireNewFuncIdAsync(GrainFactory, fields.FuncId);
        var created = await SaveAsync(Created(fields, funcId, clock.GetUtcNow()));
        await TellHostsAsync();
        return created;
    }

    public Task<TInfo> GetAsync()
    {
        RequireExists();
        return Task.FromResult(ToInfo());
    }

    public async Task<TInfo> UpdateAsync(TFields fields)
    {
        RequireExists();
        RequireValid(fields);
        await RequireApiAuthExistsAsync(fields.ApiAuthId);
        await RequireValidReferencesAsync(fields);
        if (fields.FuncId is not null && fields.FuncId != Stored.State.FuncId)
        {
            await CallRules.RequireFuncExistsAsync(GrainFactory, fields.FuncId);
        }
        var updated = await SaveAsync(Updated(Stored.State, fields, clock.GetUtcNow()));
        await TellHostsAsync();
        return updated;
    }

    public virtual async Task DeleteAsync()
    {
        RequireExists();
        await UnlistAndClearAsync();
        await TellHostsAsync();
    }

    public Task<CallEntryView?> GetLocalViewAsync()
    {
        var entry = Stored.State;
        return Task.FromResult(Exists && !entry.IsDisabled && entry.ApiAuthId is null && (!CountsCalls || SharesCalls)
            ? new CallEntryView(entry.FuncId, entry.FuncCallKwargsJson, ExpireTime, OnFailure, CountedByShares: CountsCalls)
            : null);
    }

    public Task<CallShare> TakeShareAsync(int wanted, int unused, long unusedGrantedAtSecond)
    {
        if (unused > 0 && Exists)
        {
            GiveBack(unused, unusedGrantedAtSecond, clock.GetUtcNow());
        }
        if (wanted <= 0)
        {
            // Only giving back (a host dropping its share on a change): the change may have closed the entry.
            return Task.FromResult(CallShare.None(clock.GetUtcNow()));
        }
        var now = RequireOpen();
        // The entry asks more than its windows now (an API auth, per-caller limits): every call comes here.
        return Task.FromResult(Stored.State.ApiAuthId is null && SharesCalls ? TakeShare(wanted, now) : CallShare.None(now));
    }

    /// <summary>Every host drops its view of this entry before the change is acknowledged (a host's view admits calls by itself).</summary>
    private Task TellHostsAsync() =>
        GrainFactory.GetGrain<Hosts.IHostRegistryGrain>(Hosts.IHostRegistryGrain.Key).CallEntriesChangedAsync([this.GetGrainId()]);

    public Task<CallAdmission> AdmitAsync(string callerKwargsJson, string? authenticatedBy = null, CallerIdentity? caller = null)
    {
        var now = RequireOpen();
        var entry = Stored.State;
        if (entry.ApiAuthId is { } method && method != authenticatedBy)
        {
            // A caller who has not passed the method counts against no limit of the callers who have.
            return Task.FromResult(new CallAdmission(entry.FuncId, "", method));
        }
        if (CallerKeyHeaderMissing(caller) is { } header)
        {
            return Task.FromResult(new CallAdmission(entry.FuncId, "", CallerKeyHeader: header));
        }
        Count(now, caller);
        return Task.FromResult(new CallAdmission(entry.FuncId, CallRules.MergeKwargs(entry.FuncCallKwargsJson, callerKwargsJson, entry.FuncId),
            OnFailure: OnFailure));
    }

    public Task<string?> CheckOpenAsync()
    {
        RequireRoom(RequireOpen());
        return Task.FromResult(Stored.State.ApiAuthId);
    }

    /// <summary>The time now, once the entry is known to exist, be enabled and accept a call by its own rules.</summary>
    private DateTimeOffset RequireOpen()
    {
        RequireExists();
        if (Stored.State.IsDisabled)
        {
            throw DffException.Condition($"{Kind.ReasonPrefix}Disabled", $"This {Kind.Noun} is disabled", new { id = Id });
        }
        var now = clock.GetUtcNow();
        RequireOpenMore(now);
        return now;
    }

    /// <summary>The API auth a change attaches, given as null (kept) or "" (removed) or an ID: 404.41 when it does not exist.</summary>
    private async Task RequireApiAuthExistsAsync(string? apiAuthId)
    {
        if (!string.IsNullOrEmpty(apiAuthId))
        {
            await GrainFactory.GetGrain<ApiAuths.IApiAuthGrain>(apiAuthId).GetAsync();
        }
    }

    /// <summary>The API auth after a change: null keeps <paramref name="current"/>, "" removes it.</summary>
    protected static string? ApiAuthAfter(string? given, string? current) => given is null ? current : given.Length == 0 ? null : given;

    private void RequireValid(TFields fields)
    {
        CallRules.RequireValidTemplate(fields.Note, fields.FuncCallKwargsJson);
        CallRules.RequireValidTaskRecordLimit(fields.TaskRecordLimit,
            ServiceProvider.GetRequiredService<Hosting.OrleansFuncOptions>().Engine.TaskRecordsPerOrigin);
        RequireValidMore(fields);
    }
}
