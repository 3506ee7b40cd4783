using OrleansFunc.ApiAuths;
using OrleansFunc.AuthLinks;
using OrleansFunc.Batches;
using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.Library;
using OrleansFunc.WebFront.Api.Users;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.ApiAuths;

/// <summary>
/// <c>/api/v1/api-auths</c>: the API authentication methods auth links and batches attach (DataFlux Func 2021). Every
/// signed-in user lists them and reads one (with its fixed values, for the call examples); administrators change them.
/// </summary>
public static class ApiAuthsApi
{
    public sealed record ApiAuthBody(
        string? Id, string? Name, ApiAuthType? Type, IReadOnlyList<ApiAuthField>? Fields, IReadOnlyList<ApiAuthUser>? Users, string? FuncId,
        string? Note)
    {
        public ApiAuthFields ToFields() => new(Name, Type, Fields, Users, FuncId, Note);
    }

    public sealed record DeletedApiAuth(string Id);

    public static RouteGroupBuilder MapApiAuthsApi(this RouteGroupBuilder api)
    {
        var auths = api.MapGroup("/api-auths").WithTags("API auths");
        auths.MapGet("/", ListAsync);
        auths.MapGet("/{id}", GetAsync);
        auths.MapPost("/", CreateAsync).RequireAuthorization(UsersApi.AdminPolicy).RecordsOperation(EntityType.ApiAuth, "create");
        auths.MapPatch("/{id}", UpdateAsync).RequireAuthorization(UsersApi.AdminPolicy).RecordsOperation(EntityType.ApiAuth, "modify");
        auths.MapDelete("/{id}", DeleteAsync).RequireAuthorization(UsersApi.AdminPolicy).RecordsOperation(EntityType.ApiAuth, "delete");
        return api;
    }

    private static async Task<EnvelopeResult<IReadOnlyList<ApiAuthInfo>>> ListAsync([AsParameters] Paging paging, IGrainFactory grains) =>
        Envelopes.Page(await grains.DirectoryOf<ApiAuthInfo>().ListAsync(paging.ToRequest()));

    private static async Task<EnvelopeResult<ApiAuthInfo>> GetAsync(string id, IGrainFactory grains) =>
        Envelopes.Ok(await grains.GetGrain<IApiAuthGrain>(id).GetAsync());

    private static async Task<EnvelopeResult<ApiAuthInfo>> CreateAsync(ApiAuthBody body, IGrainFactory grains)
    {
        var id = body.Id ?? CallRules.NewId("apia");
        CallRules.RequireValidId(id);
        return Envelopes.Ok(await grains.GetGrain<IApiAuthGrain>(id).CreateAsync(body.ToFields()));
    }

    private static async Task<EnvelopeResult<ApiAuthInfo>> UpdateAsync(string id, ApiAuthBody body, IGrainFactory grains)
    {
        if (body.Id is not null && body.Id != id)
        {
            throw DffException.BadRequest("IdChange", "An API auth's ID cannot be changed", new { field = "id" });
        }
        return Envelopes.Ok(await grains.GetGrain<IApiAuthGrain>(id).UpdateAsync(body.ToFields()));
    }

    /// <summary>Refused while a link or batch uses the method (its calls would all fail); 403.21 naming them.</summary>
    private static async Task<EnvelopeResult<DeletedApiAuth>> DeleteAsync(string id, IGrainFactory grains)
    {
        var links = await LibrarySnapshot.ListAllAsync(page => grains.DirectoryOf<AuthLinkInfo>().ListAsync(page));
        var batches = await LibrarySnapshot.ListAllAsync(page => grains.DirectoryOf<BatchInfo>().ListAsync(page));
        var users = links.Where(l => l.ApiAuthId == id).Select(l => $"auth link {l.Id}")
            .Concat(batches.Where(b => b.ApiAuthId == id).Select(b => $"batch {b.Id}")).ToList();
        if (users.Count > 0)
        {
            throw DffException.Condition("ApiAuthInUse", $"API auth '{id}' is used by {string.Join(", ", users.Take(10))}; detach it first",
                new { id, usedBy = users });
        }
        await grains.GetGrain<IApiAuthGrain>(id).DeleteAsync();
        return Envelopes.Ok(new DeletedApiAuth(id));
    }
}
