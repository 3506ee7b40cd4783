using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Tests.Infrastructure;
using OrleansFunc.Users;
using Xunit;

namespace OrleansFunc.Tests.Rules;

/// <summary>
/// Sign-in sessions against a moved clock: an idle timeout that each use slides, and a maximum
/// age no use extends. (The defaults, 24 h and 7 days, are what the clock moves through.)
/// </summary>
[Collection(InProcessClusterCollection.Name)]
public sealed class SessionExpiryRulesTests(InProcessCluster cluster)
{
    private static readonly TimeSpan Idle = InProcessCluster.Options.Auth.SessionIdleTimeout;
    private static readonly TimeSpan MaxAge = InProcessCluster.Options.Auth.SessionMaxAge;

    private async Task<ISessionGrain> SignInAsync()
    {
        var userId = $"u-{Guid.NewGuid():N}";
        var user = await cluster.Grains.GetGrain<IUserGrain>(userId).CreateAsync($"user{Guid.NewGuid():N}"[..20], "a-long-enough-password", UserRole.Admin);
        var session = cluster.Grains.GetGrain<ISessionGrain>($"s-{Guid.NewGuid():N}");
        await session.StartAsync(new Actor(userId, user.Username, UserRole.Admin));
        return session;
    }

    private static async Task AssertSignedOutAsync(ISessionGrain session) =>
        Assert.Equal(ErrorKind.NotSignedIn, (await Assert.ThrowsAsync<DffException>(session.ValidateAsync)).Kind);

    [Fact]
    public async Task ASessionUnusedForTheIdleTimeout_Ends()
    {
        var session = await SignInAsync();
        InProcessCluster.Clock.Advance(Idle - TimeSpan.FromSeconds(1));
        await session.ValidateAsync();

        InProcessCluster.Clock.Advance(Idle);

        await AssertSignedOutAsync(session);
    }

    [Fact]
    public async Task EachUse_SlidesTheIdleTimeout_UpToTheMaximumAge()
    {
        var session = await SignInAsync();
        var used = TimeSpan.Zero;
        while (used + Idle / 2 < MaxAge)
        {
            InProcessCluster.Clock.Advance(Idle / 2);
            used += Idle / 2;
            await session.ValidateAsync();
        }

        InProcessCluster.Clock.Advance(MaxAge - used);

        await AssertSignedOutAsync(session);
    }

    [Fact]
    public async Task AnEndedSession_StaysEnded()
    {
        var session = await SignInAsync();

        await session.EndAsync();

        await AssertSignedOutAsync(session);
    }
}
