using OrleansFunc.Common;

namespace OrleansFunc.Users;

/// <summary>Stored state of an access key: its secret only as a SHA-256 (256 random bits need no slow hash).</summary>
[GenerateSerializer, Alias("of.AccessKeyState")]
public sealed record AccessKeyState : IEntityState
{
    [Id(0)] public bool Exists { get; init; }
    [Id(1)] public string Name { get; init; } = "";
    [Id(2)] public string OwnerId { get; init; } = "";
    [Id(3)] public string OwnerUsername { get; init; } = "";
    [Id(4)] public UserRole Role { get; init; }
    [Id(5)] public DateTimeOffset? ExpireTime { get; init; }
    [Id(6)] public DateTimeOffset CreateTime { get; init; }
    [Id(7)] public string CreatedBy { get; init; } = "";
    [Id(8)] public DateTimeOffset? RevokeTime { get; init; }
    [Id(9)] public string? RevokedBy { get; init; }
    [Id(10)] public DateTimeOffset? LastUseTime { get; init; }
    [Id(11)] public byte[] SecretHash { get; init; } = [];
}
