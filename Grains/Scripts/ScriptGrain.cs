using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.Hosting;
using OrleansFunc.Records;
using OrleansFunc.ScriptSets;

namespace OrleansFunc.Scripts;

public sealed class ScriptGrain(
    [PersistentState("script", OrleansFuncSiloExtensions.StorageName)] IPersistentState<ScriptState> state,
    PublishHistoryStore publishHistory,
    TimeProvider clock) : ListedEntityGrain<ScriptState, ScriptInfo>(state), IScriptGrain
{
    /// <summary>Held in memory only: renewing it every few seconds must not cost a storage write.</summary>
    private EditLock? _editLock;

    private IScriptDirectoryGrain Directory => GrainFactory.GetGrain<IScriptDirectoryGrain>(IScriptDirectoryGrain.Key);

    private IFuncDirectoryGrain FuncDirectory => GrainFactory.GetGrain<IFuncDirectoryGrain>(IFuncDirectoryGrain.Key);

    public async Task<ScriptInfo> CreateAsync(NewScript fields)
    {
        var scriptSetId = ScriptRules.RequireValidId(Id);
        FieldRules.RequireTitleAndDescription(fields.Title, fields.Description);
        ScriptRules.RequireValidCode("codeDraft", fields.CodeDraft);
        if (Stored.State.Exists)
        {
            throw DffException.Duplicated("ScriptExists", $"Script '{Id}' already exists", new { id = Id });
        }
        await GrainFactory.GetGrain<IScriptSetGrain>(scriptSetId).AddScriptAsync(Id);

        var now = clock.GetUtcNow();
        var draft = fields.CodeDraft ?? "";
        return await SaveAsync(new ScriptState
        {
            Exists = true,
            ScriptSetId = scriptSetId,
            Title = fields.Title ?? "",
            Description = fields.Description ?? "",
            Code = "",
            CodeMD5 = Md5.Of(""),
            CodeDraft = draft,
            CodeDraftMD5 = Md5.Of(draft),
            CreateTime = now,
            UpdateTime = now,
        });
    }

    public Task<ScriptDetail> GetAsync()
    {
        RequireExists();
        return Task.FromResult(new ScriptDetail(ToInfo(), Stored.State.Code, Stored.State.CodeDraft, Stored.State.Funcs, LiveLock()));
    }

    public async Task<ScriptInfo> UpdateAsync(ScriptChange change, Actor actor)
    {
        RequireExists();
        FieldRules.RequireTitleAndDescription(change.Title, change.Description);
        ScriptRules.RequireValidCode("codeDraft", change.CodeDraft);
        RequireEditableBy(actor);
        var current = Stored.State;
        if (change.CodeDraft is not null && change.PrevCodeDraftMD5 is not null && change.PrevCodeDraftMD5 != current.CodeDraftMD5)
        {
            throw new DffException(ErrorKind.DraftConflict, "scriptDraftAlreadyChanged",
                "The draft was changed since you loaded it; reload it before saving",
                new { id = Id, prevCodeDraftMD5 = change.PrevCodeDraftMD5, codeDraftMD5 = current.CodeDraftMD5 });
        }
        var draft = change.CodeDraft ?? current.CodeDraft;
        return await SaveAsync(current with
        {
            Title = change.Title ?? current.Title,
            Description = change.Description ?? current.Description,
            CodeDraft = draft,
            CodeDraftMD5 = Md5.Of(draft),
            UpdateTime = clock.GetUtcNow(),
        });
    }

    public async Task<PublishResult> PublishAsync(PublishRequest request, Actor actor)
    {
        RequireExists();
        FieldRules.RequireMaxLength("note", request.Note, FieldRules.MaxDescriptionLength);
        RequireEditableBy(actor);
        var current = Stored.State;
        if (request.CheckedDraftMD5 != current.CodeDraftMD5)
        {
            throw new DffException(ErrorKind.DraftConflict, "scriptDraftAlreadyChanged",
                "The draft was saved again while it was being checked; publish again",
                new { id = Id, checkedDraftMD5 = request.CheckedDraftMD5, codeDraftMD5 = current.CodeDraftMD5 });
        }
        var now = clock.GetUtcNow();
        await SaveAsync(current with
        {
            Code = current.CodeDraft,
            CodeMD5 = current.CodeDraftMD5,
            PublishVersion = current.PublishVersion + 1,
            PublishTime = now,
            UpdateTime = now,
            Funcs = [.. request.Funcs],
        });
        await FuncDirectory.SetScriptFuncsAsync(Id, Stored.State.Funcs);
        await publishHistory.AppendAsync(Id, Stored.State.PublishVersion, Stored.State.Code, Stored.State.CodeMD5, request.Note, actor);
        await TellEveryHostAsync();
        return new PublishResult(Id, Stored.State.PublishVersion, Stored.State.CodeMD5, now, Stored.State.Funcs);
    }

    public async Task<ScriptInfo> RevertDraftAsync(Actor actor)
    {
        RequireExists();
        RequireEditableBy(actor);
        return await SaveAsync(Stored.State with
        {
            CodeDraft = Stored.State.Code,
            CodeDraftMD5 = Stored.State.CodeMD5,
            UpdateTime = clock.GetUtcNow(),
        });
    }

    public async Task DeleteAsync(Actor actor)
    {
        RequireExists();
        RequireEditableBy(actor);
        var scriptSetId = Stored.State.ScriptSetId;
        await ForgetAsync();
        await GrainFactory.GetGrain<IScriptSetGrain>(scriptSetId).RemoveScriptAsync(Id);
    }

    public async Task DeleteWithSetAsync()
    {
        if (Stored.State.Exists)
        {
            await ForgetAsync();
        }
    }

    public async Task ReplaceAsync(Library.ScriptContent content, string note, Actor actor)
    {
        var current = Stored.State;
        var now = clock.GetUtcNow();
        var codeMd5 = Md5.Of(content.Code);
        var published = codeMd5 != (current.Exists ? current.CodeMD5 : Md5.Of(""));
        await SaveAsync(new ScriptState
        {
            Exists = true,
            ScriptSetId = ScriptRules.RequireValidId(Id),
            Title = content.Title,
            Description = content.Description,
            Code = content.Code,
            CodeMD5 = codeMd5,
            CodeDraft = content.CodeDraft,
            CodeDraftMD5 = Md5.Of(content.CodeDraft),
            PublishVersion = published ? current.PublishVersion + 1 : current.PublishVersion,
            PublishTime = published ? now : current.PublishTime,
            CreateTime = current.Exists ? current.CreateTime : now,
            UpdateTime = now,
            Funcs = [.. content.Funcs],
        });
        await FuncDirectory.SetScriptFuncsAsync(Id, Stored.State.Funcs);
        if (published)
        {
            await publishHistory.AppendAsync(Id, Stored.State.PublishVersion, Stored.State.Code, Stored.State.CodeMD5, note, actor);
            await TellEveryHostAsync();
        }
    }

    public Task<EditLock> AcquireLockAsync(Actor actor)
    {
        RequireExists();
        RequireEditableBy(actor);
        _editLock = new EditLock(actor.UserId, actor.Username, clock.GetUtcNow() + ScriptRules.EditLockDuration);
        return Task.FromResult(_editLock);
    }

    public Task ReleaseLockAsync(Actor actor)
    {
        RequireExists();
        RequireEditableBy(actor);
        _editLock = null;
        return Task.CompletedTask;
    }

    private async Task ForgetAsync()
    {
        _editLock = null;
        await Directory.RemoveAsync(Id);
        await FuncDirectory.RemoveScriptAsync(Id);
        await Stored.ClearStateAsync();
        await TellEveryHostAsync();
    }

    /// <summary>The published code changed: no host may run the old one once this is acknowledged.</summary>
    private Task TellEveryHostAsync() =>
        GrainFactory.GetGrain<Hosts.IHostRegistryGrain>(Hosts.IHostRegistryGrain.Key).ScriptsChangedAsync([Id]);

    protected override Task UpsertListingAsync(ScriptInfo info) => Directory.UpsertAsync(info);

    protected override async Task ListIfMissingAsync(ScriptInfo info)
    {
        await Directory.AddIfMissingAsync(info);
        if (Stored.State.Funcs.Length > 0)
        {
            await FuncDirectory.AddScriptFuncsIfMissingAsync(Id, Stored.State.Funcs);
        }
    }

    private void RequireExists()
    {
        if (!Stored.State.Exists)
        {
            throw DffException.NotFound("NoSuchScript", $"No such script: '{Id}'", new { id = Id });
        }
    }

    private void RequireEditableBy(Actor actor) => ScriptRules.RequireNotLockedByOther(_editLock, actor, clock.GetUtcNow());

    private EditLock? LiveLock() => _editLock is { } held && held.ExpireTime > clock.GetUtcNow() ? held : null;

    protected override ScriptInfo ToInfo()
    {
        var s = Stored.State;
        return new ScriptInfo(Id, s.ScriptSetId, s.Title, s.Description, s.PublishVersion, s.CodeMD5, s.CodeDraftMD5,
            s.PublishTime, s.CreateTime, s.UpdateTime);
    }
}
