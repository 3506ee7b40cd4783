using OrleansFunc.Common;

namespace OrleansFunc.Users;

/// <summary>
/// A long-lived key for machines (CI, other systems), working wherever a sign-in token works. It acts as its owner with at
/// most its own role; its secret is shown once, at creation, and kept only as a SHA-256.
/// </summary>
/// <param name="LastUseTime">When it last let a request in (written at most every few minutes).</param>
[GenerateSerializer, Immutable, Alias("of.AccessKeyInfo")]
public sealed record AccessKeyInfo(
    string Id,
    string Name,
    string OwnerId,
    string OwnerUsername,
    UserRole Role,
    DateTimeOffset? ExpireTime,
    DateTimeOffset CreateTime,
    string CreatedBy,
    DateTimeOffset? RevokeTime,
    string? RevokedBy,
    DateTimeOffset? LastUseTime) : IListed;

/// <summary>A key just made, with its token: the only time the token is answered.</summary>
[GenerateSerializer, Immutable, Alias("of.NewAccessKey")]
public sealed record NewAccessKey(AccessKeyInfo Key, string Token);

/// <summary>What an administrator sets on a new key.</summary>
[GenerateSerializer, Immutable, Alias("of.AccessKeyFields")]
public sealed record AccessKeyFields(string? Name, string? OwnerId, UserRole? Role, DateTimeOffset? ExpireTime);

/// <summary>One access key, keyed by the ID its token starts with.</summary>
[Alias("of.access-key")]
public interface IAccessKeyGrain : IGrainWithStringKey
{
    /// <summary>Makes the key for an existing, enabled owner; the token comes back once.</summary>
    [Alias("create")]
    Task<NewAccessKey> CreateAsync(AccessKeyFields fields, Actor creator);

    /// <summary>The key, or 404.41.</summary>
    [SafeToRepeat]
    [Alias("get")]
    Task<AccessKeyInfo> GetAsync();

    /// <summary>Revokes the key: from the answer on, it lets nobody in, on every node (each request asks this grain).</summary>
    [Alias("revoke")]
    Task<AccessKeyInfo> RevokeAsync(Actor by);

    /// <summary>
    /// Who a request with this key's <paramref name="secret"/> acts as: its owner, with the lower of the key's role and the
    /// owner's current one; 401.14 when the secret is wrong, the key revoked or expired, or its owner gone or disabled.
    /// </summary>
    [SafeToRepeat]
    [Alias("authenticate")]
    Task<Actor> AuthenticateAsync(string secret);
}
