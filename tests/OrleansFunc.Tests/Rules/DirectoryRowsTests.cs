using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using OrleansFunc.Common;
using OrleansFunc.ScriptSets;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Rules;

/// <summary>
/// A listing stored one row per entry: a listing an earlier version kept whole in its grain state moves to rows
/// on its first activation, and is read back from them alone after that.
/// </summary>
[Collection(InProcessClusterCollection.Name)]
public sealed class DirectoryRowsTests(InProcessCluster cluster)
{
    private static ScriptSetInfo Set(string id) => new(id, $"Set {id}", "", 0, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task AListingKeptWhole_MovesToRows_AndKeepsEveryEntry()
    {
        var key = $"legacy-{Guid.NewGuid():N}";
        var listing = cluster.Grains.GetGrain<IDirectoryGrain<ScriptSetInfo>>(key);
        var storage = cluster.SiloServices.GetRequiredKeyedService<IGrainStorage>(OrleansFunc.Hosting.OrleansFuncSiloExtensions.StorageName);
        var whole = new DirectoryState<ScriptSetInfo>();
        foreach (var id in new[] { "b", "a", "c" })
        {
            whole.Entries[id] = Set(id);
        }
        await storage.WriteStateAsync("directory", listing.GetGrainId(), new GrainState<DirectoryState<ScriptSetInfo>>(whole));

        await listing.UpsertAsync(Set("d"));
        await listing.RemoveAsync("c");

        Assert.Equal(["a", "b", "d"], (await listing.ListAsync(new PageRequest(1, 100))).Items.Select(s => s.Id));
        var rows = await cluster.SiloServices.GetRequiredService<DirectoryEntryStore>().LoadAsync<ScriptSetInfo>($"DirectoryGrain/{key}");
        Assert.Equal(["a", "b", "d"], rows.Select(r => r.Id).Order());
        var left = new GrainState<DirectoryState<ScriptSetInfo>>(new DirectoryState<ScriptSetInfo>());
        await storage.ReadStateAsync("directory", listing.GetGrainId(), left);
        Assert.Empty(left.State?.Entries ?? []);

        // A new activation reads the rows alone.
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(["a", "b", "d"], (await listing.ListAsync(new PageRequest(1, 100))).Items.Select(s => s.Id));
    }
}
