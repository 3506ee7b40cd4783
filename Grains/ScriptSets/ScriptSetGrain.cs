using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Hosting;
using OrleansFunc.Scripts;

namespace OrleansFunc.ScriptSets;

public sealed class ScriptSetGrain(
    [PersistentState("scriptSet", OrleansFuncSiloExtensions.StorageName)] IPersistentState<ScriptSetState> state,
    TimeProvider clock) : Grain, IScriptSetGrain
{
    private string Id => this.GetPrimaryKeyString();

    private IScriptSetDirectoryGrain Directory => GrainFactory.GetGrain<IScriptSetDirectoryGrain>(IScriptSetDirectoryGrain.Key);

    public async Task<ScriptSetInfo> CreateAsync(TitleAndDescription fields, Actor actor)
    {
        ScriptSetRules.RequireValidId(Id);
        FieldRules.RequireTitleAndDescription(fields.Title, fields.Description);
        if (state.State.Exists)
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

    public async Task<ScriptSetInfo> UpdateAsync(TitleAndDescription fields, Actor actor)
    {
        RequireExists();
        FieldRules.RequireTitleAndDescription(fields.Title, fields.Description);
        return await SaveAsync(state.State with
        {
            Title = fields.Title ?? state.State.Title,
            Description = fields.Description ?? state.State.Description,
            UpdateTime = clock.GetUtcNow(),
        });
    }

    public async Task<IReadOnlyList<string>> DeleteAsync(Actor actor)
    {
        RequireExists();
        var scriptIds = state.State.ScriptIds;
        // Scripts first: if this stops half-way the set still lists the rest, and deleting again finishes.
        foreach (var scriptId in scriptIds)
        {
            await GrainFactory.GetGrain<IScriptGrain>(scriptId).DeleteWithSetAsync();
        }
        await state.ClearStateAsync();
        await Directory.RemoveAsync(Id);
        return scriptIds;
    }

    public async Task AddScriptAsync(string scriptId)
    {
        if (!state.State.Exists)
        {
            throw DffException.NotFound("NoSuchScriptSet", $"No such script set: '{Id}'", new { scriptSetId = Id });
        }
        if (!state.State.ScriptIds.Contains(scriptId))
        {
            await SaveAsync(state.State with { ScriptIds = [.. state.State.ScriptIds, scriptId] });
        }
    }

    public async Task RemoveScriptAsync(string scriptId)
    {
        if (state.State.Exists && state.State.ScriptIds.Contains(scriptId))
        {
            await SaveAsync(state.State with { ScriptIds = state.State.ScriptIds.Where(id => id != scriptId).ToArray() });
        }
    }

    private async Task<ScriptSetInfo> SaveAsync(ScriptSetState next)
    {
        state.State = next;
        await state.WriteStateAsync();
        var info = ToInfo();
        await Directory.UpsertAsync(info);
        return info;
    }

    private void RequireExists()
    {
        if (!state.State.Exists)
        {
            throw DffException.NotFound("NoSuchScriptSet", $"No such script set: '{Id}'", new { id = Id });
        }
    }

    private ScriptSetInfo ToInfo() => new(Id, state.State.Title, state.State.Description,
        state.State.ScriptIds.Length, state.State.CreateTime, state.State.UpdateTime);
}
