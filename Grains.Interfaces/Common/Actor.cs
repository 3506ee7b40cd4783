namespace OrleansFunc.Common;

/// <summary>Who asks for a change: the signed-in user, passed to grains for lock and audit rules.</summary>
[GenerateSerializer, Immutable, Alias("of.Actor")]
public sealed record Actor(string UserId, string Username, UserRole Role);

/// <summary>Roles of SPEC U2.</summary>
public enum UserRole
{
    Admin,
    Member,
}
