using System.Collections.Immutable;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OrleansFunc.Engine;
using Xunit;

namespace OrleansFunc.Tests.Rules;

/// <summary>
/// Which silos a silo sends runs to, against a membership view the test sets: a silo a call could not reach is left
/// out for ten seconds; a silo that said it is stopping, for as long as membership still lists it.
/// </summary>
public sealed class ClusterSilosRulesTests
{
    private static readonly SiloAddress Self = Silo(1);
    private static readonly SiloAddress Other = Silo(2);
    private static readonly SiloAddress Third = Silo(3);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));
    private readonly Membership _membership = new();
    private readonly ClusterSilos _silos;

    public ClusterSilosRulesTests()
    {
        var services = new ServiceCollection().AddSingleton<IClusterMembershipService>(_membership).BuildServiceProvider();
        _silos = new ClusterSilos(null!, services, _clock);
        _membership.Set(Self, Other, Third);
    }

    [Fact]
    public async Task ASiloThatSaidItStops_IsLeftOut_WhileMembershipStillListsIt()
    {
        _silos.MarkLeaving(Key(Other));

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([Key(Third)], await ActiveAsync());
        // A call that failed on it meanwhile does not end its mark sooner.
        _silos.MarkUnreachable(Key(Other));
        _clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal([Key(Third)], await ActiveAsync());

        // Gone from membership, its mark goes too: nothing left to leave out.
        _membership.Set(Self, Third);
        Assert.Equal([Key(Third)], await ActiveAsync());
        _membership.Set(Self, Other, Third);
        Assert.Equal([Key(Other), Key(Third)], await ActiveAsync());
    }

    [Fact]
    public async Task ASiloACallCouldNotReach_IsLeftOut_ForTenSeconds()
    {
        _silos.MarkUnreachable(Key(Other));

        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal([Key(Third)], await ActiveAsync());
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([Key(Other), Key(Third)], await ActiveAsync());
    }

    private async Task<List<string>> ActiveAsync() => [.. await _silos.ActiveAsync(except: Key(Self))];

    private static SiloAddress Silo(int number) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11110 + number), 1);

    private static string Key(SiloAddress silo) => SiloTargetedPlacement.KeyOf(silo);

    /// <summary>The membership view a silo reads: every listed silo active, a new version at each change.</summary>
    private sealed class Membership : IClusterMembershipService
    {
        private long _version;

        public ClusterMembershipSnapshot CurrentSnapshot { get; private set; } =
            new(ImmutableDictionary<SiloAddress, ClusterMember>.Empty, MembershipVersion.MinValue);

        public IAsyncEnumerable<ClusterMembershipSnapshot> MembershipUpdates => throw new NotSupportedException();

        public void Set(params SiloAddress[] active) => CurrentSnapshot = new(
            active.ToImmutableDictionary(silo => silo, silo => new ClusterMember(silo, SiloStatus.Active, silo.ToString())),
            new MembershipVersion(++_version));

        public ValueTask Refresh(MembershipVersion minimumVersion = default, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public Task<bool> TryKill(SiloAddress siloAddress) => Task.FromResult(false);
    }
}
