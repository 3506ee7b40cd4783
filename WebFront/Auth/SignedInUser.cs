using System.Security.Claims;
using OrleansFunc.Common;
using OrleansFunc.Errors;

namespace OrleansFunc.WebFront.Auth;

/// <summary>Converts between the grains' <see cref="Actor"/> and the request principal.</summary>
public static class SignedInUser
{
    public static ClaimsPrincipal ToPrincipal(this Actor actor, string scheme) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, actor.UserId),
            new Claim(ClaimTypes.Name, actor.Username),
            new Claim(ClaimTypes.Role, actor.Role.ToString()),
        ], scheme));

    public static Actor? TryGetActor(this ClaimsPrincipal user)
    {
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        var name = user.FindFirstValue(ClaimTypes.Name);
        var role = user.FindFirstValue(ClaimTypes.Role);
        return id is null || name is null || !Enum.TryParse<UserRole>(role, out var parsed) ? null : new Actor(id, name, parsed);
    }

    /// <summary>The signed-in user; routes that call this sit behind the authorization of the admin group.</summary>
    public static Actor GetActor(this ClaimsPrincipal user) =>
        user.TryGetActor() ?? throw new DffException(ErrorKind.NotSignedIn, null, "Not signed in");
}
