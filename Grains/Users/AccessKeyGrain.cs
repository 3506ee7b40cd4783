using System.Security.Cryptography;
using System.Text;
using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Hosting;

namespace OrleansFunc.Users;

/// <summary>
/// An access key. Every request that carries it asks this grain (one activation in the cluster), so a revoke, an expiry
/// or the owner's disable stops the key on every node at once; its last use is written at most every
/// <see cref="LastUseWrittenEvery"/>, so a busy machine costs no storage write per request.
/// </summary>
public sealed class AccessKeyGrain(
    [PersistentState("accessKey", OrleansFuncSiloExtensions.StorageName)] IPersistentState<AccessKeyState> state,
    TimeProvider clock) : DirectoryEntityGrain<AccessKeyState, AccessKeyInfo>(state), IAccessKeyGrain
{
    public const int MaxNameLength = 128;
    private static readonly TimeSpan LastUseWrittenEvery = TimeSpan.FromMinutes(5);

    private DateTimeOffset? _lastUse;

    public async Task<NewAccessKey> CreateAsync(AccessKeyFields fields, Actor creator)
    {
        if (Exists)
        {
            throw DffException.Duplicated("AccessKeyExists", $"Access key '{Id}' already exists", new { id = Id });
        }
        if (string.IsNullOrWhiteSpace(fields.Name))
        {
            throw DffException.BadRequest("MissingName", "'name' is required: it names the key in operation records", new { field = "name" });
        }
        FieldRules.RequireMaxLength("name", fields.Name, MaxNameLength);
        if (fields.Role is { } role && !Enum.IsDefined(role))
        {
            throw DffException.BadRequest("InvalidRole", "'role' is admin or member", new { field = "role" });
        }
        var now = clock.GetUtcNow();
        if (fields.ExpireTime is { } expiry && expiry <= now)
        {
            throw DffException.BadRequest("ExpiredAlready", "'expireTime' is in the past", new { field = "expireTime" });
        }
        var ownerId = fields.OwnerId ?? creator.UserId;
        var owner = await GrainFactory.GetGrain<IUserGrain>(ownerId).GetAsync();
        if (owner.IsDisabled)
        {
            throw DffException.Condition("OwnerDisabled", $"User '{owner.Username}' is disabled", new { ownerId });
        }
        var secret = AccessKeyTokens.NewSecret();
        var info = await SaveAsync(new AccessKeyState
        {
            Exists = true,
            Name = fields.Name.Trim(),
            OwnerId = owner.Id,
            OwnerUsername = owner.Username,
            Role = fields.Role ?? UserRole.Member,
            ExpireTime = fields.ExpireTime,
            CreateTime = now,
            CreatedBy = creator.Username,
            SecretHash = HashOf(secret),
        });
        return new NewAccessKey(info, AccessKeyTokens.Make(Id, secret));
    }

    public Task<AccessKeyInfo> GetAsync()
    {
        RequireExists();
        return Task.FromResult(ToInfo());
    }

    public async Task<AccessKeyInfo> RevokeAsync(Actor by)
    {
        RequireExists();
        if (Stored.State.RevokeTime is not null)
        {
            return ToInfo();
        }
        return await SaveAsync(Stored.State with { RevokeTime = clock.GetUtcNow(), RevokedBy = by.Username, LastUseTime = _lastUse ?? Stored.State.LastUseTime });
    }

    public async Task<Actor> AuthenticateAsync(string secret)
    {
        var s = Stored.State;
        var now = clock.GetUtcNow();
        if (!s.Exists || !CryptographicOperations.FixedTimeEquals(HashOf(secret), s.SecretHash))
        {
            throw new DffException(ErrorKind.NotSignedIn, null, "Unknown access key");
        }
        if (s.RevokeTime is not null || s.ExpireTime <= now)
        {
            throw new DffException(ErrorKind.NotSignedIn, null, s.RevokeTime is not null ? "This access key was revoked" : "This access key has expired");
        }
        var owner = await GrainFactory.GetGrain<IUserGrain>(s.OwnerId).GetAsync();
        if (owner.IsDisabled)
        {
            throw new DffException(ErrorKind.NotSignedIn, null, "The owner of this access key is disabled");
        }
        _lastUse = now;
        if (s.LastUseTime is not { } written || now - written > LastUseWrittenEvery)
        {
            await SaveAsync(s with { LastUseTime = now });
        }
        // Never more than its owner may do now: a demoted owner's admin key acts as a member.
        var role = s.Role == UserRole.Admin && owner.Role == UserRole.Admin ? UserRole.Admin : UserRole.Member;
        return new Actor(owner.Id, $"{owner.Username} (access key {s.Name})", role);
    }

    private static byte[] HashOf(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    protected override (string Reason, string Noun) Missing => ("NoSuchAccessKey", "access key");

    protected override AccessKeyInfo ToInfo()
    {
        var s = Stored.State;
        return new AccessKeyInfo(Id, s.Name, s.OwnerId, s.OwnerUsername, s.Role, s.ExpireTime, s.CreateTime, s.CreatedBy, s.RevokeTime,
            s.RevokedBy, _lastUse ?? s.LastUseTime);
    }
}
