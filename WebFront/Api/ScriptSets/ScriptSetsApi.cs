using OrleansFunc.Common;
using OrleansFunc.Funcs;
using OrleansFunc.Scripts;
using OrleansFunc.ScriptSets;
using OrleansFunc.WebFront.Auth;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.ScriptSets;

/// <summary><c>/api/v1/script-sets</c>: the sets of the script library.</summary>
public static class ScriptSetsApi
{
    public sealed record CreateScriptSet(string? Id, string? Title, string? Description);

    public sealed record UpdateScriptSet(string? Title, string? Description);

    public sealed record DeletedScriptSet(string Id, IReadOnlyList<string> DeletedScriptIds);

    public static RouteGroupBuilder MapScriptSetsApi(this RouteGroupBuilder api)
    {
        var sets = api.MapGroup("/script-sets").WithTags("Script sets");
        sets.MapGet("/", ListAsync);
        sets.MapPost("/", CreateAsync).RecordsOperation(EntityType.ScriptSet, "create");
        sets.MapGet("/{id}", GetAsync);
        sets.MapPatch("/{id}", UpdateAsync).RecordsOperation(EntityType.ScriptSet, "modify");
        sets.MapDelete("/{id}", DeleteAsync).RecordsOperation(EntityType.ScriptSet, "delete");
        return api;
    }

    private static async Task<EnvelopeResult<IReadOnlyList<ScriptSetInfo>>> ListAsync([AsParameters] Paging paging, IGrainFactory grains) =>
        Envelopes.Page(await grains.DirectoryOf<ScriptSetInfo>().ListAsync(paging.ToRequest()));

    private static async Task<EnvelopeResult<ScriptSetInfo>> CreateAsync(CreateScriptSet body, IGrainFactory grains)
    {
        ScriptSetRules.RequireValidId(body.Id ?? "");
        var fields = new TitleAndDescription(body.Title, body.Description);
        return Envelopes.Ok(await grains.GetGrain<IScriptSetGrain>(body.Id!).CreateAsync(fields));
    }

    private static async Task<EnvelopeResult<ScriptSetInfo>> GetAsync(string id, IGrainFactory grains) =>
        Envelopes.Ok(await grains.GetGrain<IScriptSetGrain>(id).GetAsync());

    private static async Task<EnvelopeResult<ScriptSetInfo>> UpdateAsync(
        string id, UpdateScriptSet body, IGrainFactory grains) =>
        Envelopes.Ok(await grains.GetGrain<IScriptSetGrain>(id).UpdateAsync(new TitleAndDescription(body.Title, body.Description)));

    /// <summary>Deletes a set and its scripts; 403.21 <c>DeleteBreaksCalls</c> naming the callers of their funcs unless <paramref name="force"/>.</summary>
    private static async Task<EnvelopeResult<DeletedScriptSet>> DeleteAsync(string id, bool? force, IGrainFactory grains, HttpContext http, FuncCallers callers)
    {
        var set = grains.GetGrain<IScriptSetGrain>(id);
        await set.GetAsync();
        if (force != true)
        {
            var scripts = await grains.GetGrain<IScriptDirectoryGrain>(IScriptDirectoryGrain.Key).ListAsync(id, new PageRequest(1, 10_000));
            FuncCallers.RequireNoneBroken(await callers.BrokenByDeleteAsync(scripts.Items.Select(s => s.Id).ToHashSet()), "DeleteBreaksCalls", $"Deleting {id}");
        }
        return Envelopes.Ok(new DeletedScriptSet(id, await set.DeleteAsync(http.User.GetActor())));
    }
}
