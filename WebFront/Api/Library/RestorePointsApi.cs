using OrleansFunc.Common;
using OrleansFunc.Library;
using OrleansFunc.Records;
using OrleansFunc.WebFront.Api.Users;
using OrleansFunc.WebFront.Auth;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Library;

/// <summary><c>/api/v1/restore-points</c>: snapshots of the whole script library and restoring one (administrators).</summary>
public static class RestorePointsApi
{
    public sealed record NewRestorePoint(string? Note);

    public static RouteGroupBuilder MapRestorePointsApi(this RouteGroupBuilder api)
    {
        var points = api.MapGroup("/restore-points").WithTags("Restore points").RequireAuthorization(UsersApi.AdminPolicy);
        points.MapGet("/", ListAsync);
        points.MapPost("/", CreateAsync).RecordsOperation(EntityType.RestorePoint, "create");
        points.MapGet("/{id}/preview", PreviewAsync);
        points.MapPost("/{id}/restore", RestoreAsync).RecordsOperation(EntityType.RestorePoint, "restore");
        return api;
    }

    private static async Task<EnvelopeResult<IReadOnlyList<RestorePointInfo>>> ListAsync([AsParameters] Paging paging, RestorePointStore points) =>
        Envelopes.Page(await points.ListAsync(paging.ToRequest()));

    private static async Task<EnvelopeResult<RestorePointInfo>> CreateAsync(NewRestorePoint? body, IGrainFactory grains, HttpContext http) =>
        Envelopes.Ok(await Library(grains).CreateRestorePointAsync(RestorePointKinds.Manual, body?.Note ?? "", http.User.GetActor()));

    private static async Task<EnvelopeResult<LibraryChange>> RestoreAsync(string id, IGrainFactory grains, HttpContext http) =>
        Envelopes.Ok(await Library(grains).RestoreAsync(id, http.User.GetActor()));

    private static async Task<EnvelopeResult<RestorePreview>> PreviewAsync(string id, IGrainFactory grains) =>
        Envelopes.Ok(await Library(grains).PreviewRestoreAsync(id));

    private static ILibraryGrain Library(IGrainFactory grains) => grains.GetGrain<ILibraryGrain>(ILibraryGrain.Key);
}
