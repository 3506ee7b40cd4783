using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Hosting;
using OrleansFunc.Scripts;

namespace OrleansFunc.ScriptSets;

public sealed class ScriptSetGrain(
    [PersistentState("scriptSet", OrleansFuncSiloExtensions.StorageName)] IPersistentState<ScriptSetState> state,
    TimeProvider clock) : DirectoryEntityGrain<ScriptSetState, ScriptSetInfo>(state), IScriptSetGrain
{

    public async Task<ScriptSetInfo> CreateAsync(TitleAndDescription fields)
    {
        ScriptSetRules.RequireValidId(Id);
        FieldRules.RequireTitleAndDescription(fields.Title, fields.Description);
        if (Stored.State.Exists)
        {
            throw DffException.Duplicated("ScriptSetExists", $"Script set '{Id}' already exists", new { id = Id });
        }
        var now = clock.GetUtcNow();
        return await SaveAsync(new ScriptSetState
        {
            Exists = true,
            Title = fields.Title ?? "",
            Description = fields.Description ?? "",
            CreateTime = now,
            UpdateTime = now,
        });
    }

    public Task<ScriptSetInfo> GetAsync()
    {
        RequireExists();
        return Task.FromResult(ToInfo());
    }

    public async Task<ScriptSetInfo> UpdateAsync(TitleAndDescription fields)
    {
        RequireExists();
        FieldRules.RequireTitleAndDescription(fields.Title, fields.Description);
        return await SaveAsync(Stored.State with
        {
            Title = fields.Title ?? Stored.State.Title,
            Description = fields.Description ?? Stored.State.Description,
            UpdateTime = clock.GetUtcNow(),
        });
    }

    public async Task<IReadOnlyList<string>> DeleteAsync(Actor actor)
    {
        RequireExists();
        var scriptIds = Stored.State.ScriptIds;
        // A script someone else is editing keeps its whole set (SPEC S6): check them all before deleting any.
        foreach (var scriptId in scriptIds)
        {
            try
            {
                var script = await GrainFactory.GetGrain<IScriptGrain>(scriptId).GetAsync();
                ScriptRules.RequireNotLockedByOther(script.Lock, actor, clock.GetUtcNow());
            }
            catch (DffException missing) when (missing.Kind == ErrorKind.NotFound)
            {
                // Listed by a create that did not finish: nothing to protect.
            }
        }
        // Scripts first: if this stops half-way the set still lists the rest, and deleting again finishes.
        foreach (var scriptId in scriptIds)
        {
            await GrainFactory.GetGrain<IScriptGrain>(scriptId).DeleteWithSetAsync();
        }
        await UnlistAndClearAsync();
        return scriptIds;
    }

    public async Task ReplaceAsync(Library.ScriptSetContent? content, string note, Actor actor)
    {
        var keep = content?.Scripts.Select(s => s.Id).ToHashSet() ?? [];
        foreach (var gone in Stored.State.ScriptIds.Where(id => !keep.Contains(id)))
        {
            await GrainFactory.GetGrain<IScriptGrain>(gone).DeleteWithSetAsync();
        }
        if (content is null)
        {
            if (Stored.State.Exists)
            {
                await Directory.RemoveAsync(Id);
                await Stored.ClearStateAsync();
            }
            return;
        }
        // The set first lists its scripts, so that a stop half-way leaves nothing unlisted.
        var now = clock.GetUtcNow();
        await SaveAsync(new ScriptSetState
        {
            Exists = true,
            Title = content.Title,
            Description = content.Description,
            CreateTime = Stored.State.Exists ? Stored.State.CreateTime : now,
            UpdateTime = now,
            ScriptIds = content.Scripts.Select(s => s.Id).ToArray(),
        });
        foreach (var script in content.Scripts)
        {
            await GrainFactory.GetGrain<IScriptGrain>(script.Id).ReplaceAsync(script, note, actor);
        }
    }

    public async Task AddScriptAsync(string scriptId)
    {
        if (!Stored.State.Exists)
        {
            throw DffException.NotFound("NoSuchScriptSet", $"No such script set: '{Id}'", new { scriptSetId = Id });
        }
        if (!Stored.State.ScriptIds.Contains(scriptId))
        {
            await SaveAsync(Stored.State with { ScriptIds = [.. Stored.State.ScriptIds, scriptId] });
        }
    }

    public async Task RemoveScriptAsync(string scriptId)
    {
        if (Stored.State.Exists && Stored.State.ScriptIds.Contains(scriptId))
        {
            await SaveAsync(Stored.State with { ScriptIds = Stored.State.ScriptIds.Where(id => id != scriptId).ToArray() });
        }
    }

    protected override (string Reason, string Noun) Missing => ("NoSuchScriptSet", "script set");

    protected override ScriptSetInfo ToInfo() => new(Id, Stored.State.Title, Stored.State.Description,
        Stored.State.ScriptIds.Length, Stored.State.CreateTime, Stored.State.UpdateTime);
}
