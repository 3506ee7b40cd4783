using OrleansFunc.Common;
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

    private static async Task<EnvelopeResult<DeletedScriptSet>> DeleteAsync(string id, IGrainFactory grains, HttpContext http) =>
        Envelopes.Ok(new DeletedScriptSet(id, await grains.GetGrain<IScriptSetGrain>(id).DeleteAsync(http.User.GetActor())));
}
