using OrleansFunc.Common;

namespace OrleansFunc.Users;

/// <summary>
/// One sign-in session, keyed by the SHA-256 of its token (the token itself is never stored).
/// Expires after an idle period and at an absolute maximum age.
/// </summary>
[Alias("of.session")]
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>Starts the session for a signed-in user.</summary>
    [Alias("start")]
    Task<SessionInfo> StartAsync(Actor user);

    /// <summary>The session's user, extending its idle expiry; 401.14 when unknown, ended or expired.</summary>
    [SafeToRepeat]
    [Alias("validate")]
    Task<Actor> ValidateAsync();

    /// <summary>Ends the session (sign-out); ending an unknown session is a no-op.</summary>
    [Alias("end")]
    Task EndAsync();
}

/// <summary>A session's owner and current expiry.</summary>
[GenerateSerializer, Immutable, Alias("of.SessionInfo")]
public sealed record SessionInfo(Actor User, DateTimeOffset ExpireTime);
