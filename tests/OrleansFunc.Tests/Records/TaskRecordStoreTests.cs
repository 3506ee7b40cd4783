using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OrleansFunc.Common;
using OrleansFunc.Records;
using OrleansFunc.Storage;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Records;

/// <summary>The task-record table on a real PostgreSQL: the queue's claims and the retention.</summary>
public sealed class TaskRecordStoreTests
{
    private static async Task<TaskRecordStore> NewStoreAsync()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        await DatabaseBootstrapper.RunAsync(connectionString, NullLogger.Instance);
        return new TaskRecordStore(NpgsqlDataSource.Create(connectionString));
    }

    [Fact]
    public async Task Prune_KeepsTheNewestPerOrigin_AndNeverWaitingTasks()
    {
        var store = await NewStoreAsync();
        for (var i = 0; i < 5; i++)
        {
            await store.InsertFinishedAsync([Finished($"a{i}", "linkA", DateTimeOffset.UtcNow.AddMinutes(i))], CancellationToken.None);
        }
        await store.InsertFinishedAsync([Finished("b0", "linkB", DateTimeOffset.UtcNow)], CancellationToken.None);
        await store.InsertFinishedAsync([Finished("old", "linkB", DateTimeOffset.UtcNow.AddDays(-100))], CancellationToken.None);
        await store.EnqueueAsync("waiting", "batch", "linkA", "s__m.f", "{}", 0);

        var removed = await store.PruneAsync(keepPerOrigin: 2, maxAge: TimeSpan.FromDays(90), CancellationToken.None);

        Assert.Equal(4, removed);
        var linkA = await store.ListAsync("authLink", "linkA", new PageRequest(1, 100));
        Assert.Equal(["a4", "a3"], linkA.Items.Select(r => r.Id).ToArray());
        Assert.Equal(["b0"], (await store.ListAsync("authLink", "linkB", new PageRequest(1, 100))).Items.Select(r => r.Id).ToArray());
        Assert.NotNull(await store.GetAsync("waiting"));
    }

    [Fact]
    public async Task Claim_GivesEachQueuedTaskToOneClaimant_InOrder()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync("first", "batch", "b", "s__m.f", "{}", 10);
        await store.EnqueueAsync("second", "batch", "b", "s__m.f", "{}", 10);

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => store.ClaimNextAsync($"silo{i}", 3600, TimeSpan.FromMinutes(1), CancellationToken.None)));

        Assert.Equal(["first", "second"], claims.Where(c => c is not null).Select(c => c!.Id).Order().ToArray());
        Assert.All(claims.Where(c => c is not null), c => Assert.Equal("running", c!.Status));
        Assert.Null(await store.ClaimNextAsync("late", 3600, TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    private static TaskRecord Finished(string id, string originId, DateTimeOffset trigger) =>
        new(id, "authLink", originId, "s__m.f", "{}", 30, "success", trigger, trigger, trigger, 0.01, "", "1", null);
}
