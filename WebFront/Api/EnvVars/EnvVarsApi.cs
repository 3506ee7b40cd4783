using OrleansFunc.Common;
using OrleansFunc.EnvVars;
using OrleansFunc.WebFront.Auth;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.EnvVars;

/// <summary><c>/api/v1/env-variables</c>: configuration values scripts read with <c>DFF.ENV</c>.</summary>
public static class EnvVarsApi
{
    public sealed record CreateEnvVar(string? Id, string? Title, string? Description, string? ValueTEXT, AutoTypeCasting? AutoTypeCasting);

    public sealed record UpdateEnvVar(string? Title, string? Description, string? ValueTEXT, AutoTypeCasting? AutoTypeCasting);

    public sealed record DeletedEnvVar(string Id);

    public static RouteGroupBuilder MapEnvVarsApi(this RouteGroupBuilder api)
    {
        var vars = api.MapGroup("/env-variables").WithTags("Env variables");
        vars.MapGet("/", ListAsync);
        vars.MapPost("/", CreateAsync).RecordsOperation(EntityType.EnvVariable, "create");
        vars.MapGet("/{id}", GetAsync);
        vars.MapPatch("/{id}", UpdateAsync).RecordsOperation(EntityType.EnvVariable, "modify");
        vars.MapDelete("/{id}", DeleteAsync).RecordsOperation(EntityType.EnvVariable, "delete");
        return api;
    }

    private static async Task<EnvelopeResult<IReadOnlyList<EnvVarInfo>>> ListAsync([AsParameters] Paging paging, IGrainFactory grains) =>
        Envelopes.Page(await grains.DirectoryOf<EnvVarInfo>().ListAsync(paging.ToRequest()));

    private static async Task<EnvelopeResult<EnvVarInfo>> CreateAsync(CreateEnvVar body, IGrainFactory grains)
    {
        FieldRules.RequireIdentifier("id", body.Id, EnvVarGrain.MaxIdLength);
        return Envelopes.Ok(await grains.GetGrain<IEnvVarGrain>(body.Id!).CreateAsync(
            new EnvVarFields(body.Title, body.Description, body.ValueTEXT, body.AutoTypeCasting)));
    }

    private static async Task<EnvelopeResult<EnvVarInfo>> GetAsync(string id, IGrainFactory grains) =>
        Envelopes.Ok(await grains.GetGrain<IEnvVarGrain>(id).GetAsync());

    private static async Task<EnvelopeResult<EnvVarInfo>> UpdateAsync(string id, UpdateEnvVar body, IGrainFactory grains) =>
        Envelopes.Ok(await grains.GetGrain<IEnvVarGrain>(id).UpdateAsync(
            new EnvVarFields(body.Title, body.Description, body.ValueTEXT, body.AutoTypeCasting)));

    private static async Task<EnvelopeResult<DeletedEnvVar>> DeleteAsync(string id, IGrainFactory grains)
    {
        await grains.GetGrain<IEnvVarGrain>(id).DeleteAsync();
        return Envelopes.Ok(new DeletedEnvVar(id));
    }
}
