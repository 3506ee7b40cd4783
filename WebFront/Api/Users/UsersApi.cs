using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Users;
using OrleansFunc.WebFront.Auth;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Users;

/// <summary><c>/api/v1/users</c>: member management for administrators (SPEC U2); members get 403.15.</summary>
public static class UsersApi
{
    public const string AdminPolicy = "admin";

    public sealed record CreateUser(string? Username, string? Password, UserRole? Role, string? Name, string? Email);

    /// <summary>An administrator's change: profile, role, <c>isDisabled</c>, or a new <c>password</c> (reset).</summary>
    public sealed record ChangeUser(string? Name, string? Email, UserRole? Role, bool? IsDisabled, string? Password);

    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users").RequireAuthorization(AdminPolicy);
        users.MapGet("/", ListAsync);
        users.MapPost("/", CreateAsync).RecordsOperation(EntityType.User, "create");
        users.MapGet("/{id}", GetAsync);
        users.MapPatch("/{id}", UpdateAsync).RecordsOperation(EntityType.User, "modify");
        users.MapDelete("/{id}", Refuse);
        return api;
    }

    private static async Task<EnvelopeResult<IReadOnlyList<UserInfo>>> ListAsync([AsParameters] Paging paging, IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IUserDirectoryGrain>(IUserDirectoryGrain.Key).ListUserIdsAsync();
        var page = paging.ToRequest();
        var users = await Task.WhenAll(ids.Skip(page.Offset).Take(page.PageSize).Select(id => grains.GetGrain<IUserGrain>(id).GetAsync()));
        return Envelopes.Page(new Page<UserInfo>(users, ids.Count, page));
    }

    private static async Task<EnvelopeResult<UserInfo>> CreateAsync(CreateUser body, IGrainFactory grains, HttpContext http)
    {
        UserRules.RequireValidProfile(new ProfileChange(body.Name, body.Email));
        var user = await grains.GetGrain<IUserDirectoryGrain>(IUserDirectoryGrain.Key)
            .CreateUserAsync(body.Username ?? "", body.Password ?? "", body.Role ?? UserRole.Member);
        if (body.Name is not null || body.Email is not null)
        {
            user = await grains.GetGrain<IUserGrain>(user.Id).UpdateAsync(new UserChange(body.Name, body.Email, null, null, null),
                http.User.GetActor());
        }
        return Envelopes.Ok(user);
    }

    private static async Task<EnvelopeResult<UserInfo>> GetAsync(string id, IGrainFactory grains) =>
        Envelopes.Ok(await grains.GetGrain<IUserGrain>(id).GetAsync());

    private static async Task<EnvelopeResult<UserInfo>> UpdateAsync(string id, ChangeUser body, IGrainFactory grains, HttpContext http) =>
        Envelopes.Ok(await grains.GetGrain<IUserGrain>(id).UpdateAsync(
            new UserChange(body.Name, body.Email, body.Role, body.IsDisabled, body.Password), http.User.GetActor()));

    /// <summary>Accounts are kept for the records that name them; disabling is the way to end one.</summary>
    private static EnvelopeResult<object?> Refuse(string id) =>
        throw DffException.Condition("UserNotDeletable", "Users cannot be deleted; disable the user instead", new { id });
}
