using OrleansFunc.Common;
using OrleansFunc.Users;
using OrleansFunc.WebFront.Auth;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Users;

/// <summary>
/// <c>/api/v1/access-keys</c> (administrators): long-lived keys for machines. A key's token is answered once, when it is
/// made; revoked keys stay listed, for the records that name them.
/// </summary>
public static class AccessKeysApi
{
    public sealed record NewKeyBody(string? Name, string? OwnerId, UserRole? Role, DateTimeOffset? ExpireTime);

    public static RouteGroupBuilder MapAccessKeysApi(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/access-keys").WithTags("Access keys").RequireAuthorization(UsersApi.AdminPolicy);
        keys.MapGet("/", ListAsync);
        keys.MapGet("/{id}", GetAsync);
        keys.MapPost("/", CreateAsync).RecordsOperation(EntityType.AccessKey, "create");
        keys.MapPost("/{id}/revoke", RevokeAsync).RecordsOperation(EntityType.AccessKey, "revoke");
        return api;
    }

    private static async Task<EnvelopeResult<IReadOnlyList<AccessKeyInfo>>> ListAsync([AsParameters] Paging paging, IGrainFactory grains) =>
        Envelopes.Page(await grains.DirectoryOf<AccessKeyInfo>().ListAsync(paging.ToRequest()));

    private static async Task<EnvelopeResult<AccessKeyInfo>> GetAsync(string id, IGrainFactory grains) =>
        Envelopes.Ok(await grains.GetGrain<IAccessKeyGrain>(id).GetAsync());

    private static async Task<EnvelopeResult<NewAccessKey>> CreateAsync(NewKeyBody body, IGrainFactory grains, HttpContext http) =>
        Envelopes.Ok(await grains.GetGrain<IAccessKeyGrain>(AccessKeyTokens.NewId())
            .CreateAsync(new AccessKeyFields(body.Name, body.OwnerId, body.Role, body.ExpireTime), http.User.GetActor()));

    private static async Task<EnvelopeResult<AccessKeyInfo>> RevokeAsync(string id, IGrainFactory grains, HttpContext http) =>
        Envelopes.Ok(await grains.GetGrain<IAccessKeyGrain>(id).RevokeAsync(http.User.GetActor()));
}
