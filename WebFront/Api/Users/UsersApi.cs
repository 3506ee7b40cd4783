using OrleansFunc.Common;
using OrleansFunc.Users;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Users;

/// <summary><c>/api/v1/users</c>: member management for administrators (SPEC U2).</summary>
public static class UsersApi
{
    public const string AdminPolicy = "admin";

    public sealed record CreateUser(string? Username, string? Password, UserRole? Role);

    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users").RequireAuthorization(AdminPolicy);
        users.MapGet("/", ListAsync);
        users.MapPost("/", CreateAsync).RecordsOperation("user", "create");
        users.MapGet("/{id}", GetAsync);
        return api;
    }

    private static async Task<EnvelopeResult<IReadOnlyList<UserInfo>>> ListAsync([AsParameters] Paging paging, IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IUserDirectoryGrain>(IUserDirectoryGrain.Key).ListUserIdsAsync();
        var page = paging.ToRequest();
        var users = await Task.WhenAll(ids.Skip(page.Offset).Take(page.PageSize).Select(id => grains.GetGrain<IUserGrain>(id).GetAsync()));
        return Envelopes.Page(new Page<UserInfo>(users, ids.Count, page));
    }

    private static async Task<EnvelopeResult<UserInfo>> CreateAsync(CreateUser body, IGrainFactory grains) =>
        Envelopes.Ok(await grains.GetGrain<IUserDirectoryGrain>(IUserDirectoryGrain.Key)
            .CreateUserAsync(body.Username ?? "", body.Password ?? "", body.Role ?? UserRole.Member));

    private static async Task<EnvelopeResult<UserInfo>> GetAsync(string id, IGrainFactory grains) =>
        Envelopes.Ok(await grains.GetGrain<IUserGrain>(id).GetAsync());
}
