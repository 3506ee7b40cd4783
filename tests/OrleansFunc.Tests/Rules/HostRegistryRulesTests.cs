using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using OrleansFunc.Hosting;
using OrleansFunc.Hosts;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Rules;

/// <summary>
/// The registry of the cluster's hosts, which tells each of them of changes: hosts that register at the same moment (a
/// cluster starting) are all kept, in storage too, and all told.
/// </summary>
[Collection(InProcessClusterCollection.Name)]
public sealed class HostRegistryRulesTests(InProcessCluster cluster)
{
    [Fact]
    public async Task HostsRegisteringAtOnce_AreAllKept_AndAllTold()
    {
        var registry = cluster.Grains.GetGrain<IHostRegistryGrain>(IHostRegistryGrain.Key);
        var hosts = Enumerable.Range(0, 48).Select(_ => (Id: $"host-{Guid.NewGuid():N}", Observer: new Observer())).ToList();
        var references = hosts.Select(host => cluster.Grains.CreateObjectReference<IHostObserver>(host.Observer)).ToList();

        for (var round = 0; round < 4; round++)
        {
            await Task.WhenAll(hosts.Skip(round * 12).Take(12).Select((host, i) => registry.RegisterAsync(host.Id, references[round * 12 + i])));
        }
        var stored = new GrainState<HostRegistryState>(new HostRegistryState());
        await cluster.SiloServices.GetRequiredKeyedService<IGrainStorage>(OrleansFuncSiloExtensions.StorageName)
            .ReadStateAsync("hostRegistry", registry.GetGrainId(), stored);
        Assert.All(hosts, host => Assert.Contains(host.Id, stored.State!.Hosts.Keys));

        // A registry woken again (its silo lost) knows them from what it stored.
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var told = await registry.SiloLeavingAsync("a-silo-key");

        Assert.All(hosts, host => Assert.Contains(host.Id, told));
        Assert.All(hosts, host => Assert.Equal("a-silo-key", host.Observer.Leaving));
    }

    private sealed class Observer : IHostObserver
    {
        public string? Leaving { get; private set; }

        public Task ScriptsChangedAsync(IReadOnlyList<string> scriptIds) => Task.CompletedTask;

        public Task CachesClearedAsync() => Task.CompletedTask;

        public Task CallEntriesChangedAsync(IReadOnlyList<GrainId> entries) => Task.CompletedTask;

        public Task SiloLeavingAsync(string siloKey)
        {
            Leaving = siloKey;
            return Task.CompletedTask;
        }
    }
}
