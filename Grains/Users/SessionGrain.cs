using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Hosting;

namespace OrleansFunc.Users;

/// <summary>
/// A sign-in session with a sliding idle expiry and an absolute maximum age. Each validation slides
/// the expiry in memory; it is written to storage only when it has moved by a tenth of the idle
/// timeout, so an active console costs no storage write per request.
/// </summary>
public sealed class SessionGrain(
    [PersistentState("session", OrleansFuncSiloExtensions.StorageName)] IPersistentState<SessionState> state,
    OrleansFuncOptions options,
    TimeProvider clock) : Grain, ISessionGrain
{
    private DateTimeOffset _expireTime;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _expireTime = state.State.ExpireTime;
        return Task.CompletedTask;
    }

    public async Task<SessionInfo> StartAsync(Actor user)
    {
        var now = clock.GetUtcNow();
        _expireTime = now + options.Auth.SessionIdleTimeout;
        state.State = new SessionState { User = user, StartTime = now, ExpireTime = _expireTime };
        await state.WriteStateAsync();
        return new SessionInfo(user, _expireTime);
    }

    public async Task<Actor> ValidateAsync()
    {
        var now = clock.GetUtcNow();
        if (state.State.User is not { } user || _expireTime <= now)
        {
            throw new DffException(ErrorKind.NotSignedIn, null, "Not signed in, or the sign-in has expired");
        }
        // The account decides too: a disable or password reset ends the session, a role change applies at once.
        var current = await GrainFactory.GetGrain<IUserGrain>(user.UserId).AuthorizeSessionAsync(state.State.StartTime);
        var maxExpire = state.State.StartTime + options.Auth.SessionMaxAge;
        _expireTime = Min(now + options.Auth.SessionIdleTimeout, maxExpire);
        if (_expireTime - state.State.ExpireTime > options.Auth.SessionIdleTimeout / 10)
        {
            state.State = state.State with { ExpireTime = _expireTime };
            await state.WriteStateAsync();
        }
        return current;
    }

    public async Task EndAsync()
    {
        _expireTime = default;
        if (state.State.User is not null)
        {
            await state.ClearStateAsync();
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
