using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OrleansFunc.Common;
using OrleansFunc.Engine;
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
        await store.EnqueueAsync(new QueuedTask("waiting", TaskOrigin.Batch, "linkA", "s__m.f", "{}", 0));

        var removed = await store.PruneAsync(keepPerOrigin: 2, maxAge: TimeSpan.FromDays(90), batchResultsKeptFor: TimeSpan.FromDays(1), CancellationToken.None);

        Assert.Equal(4, removed);
        var linkA = await store.ListAsync(new TaskRecordFilter("authLink", "linkA"), new PageRequest(1, 100));
        Assert.Equal(["a4", "a3"], linkA.Items.Select(r => r.Id).ToArray());
        Assert.Equal(["b0"], (await store.ListAsync(new TaskRecordFilter("authLink", "linkB"), new PageRequest(1, 100))).Items.Select(r => r.Id).ToArray());
        Assert.NotNull(await store.GetAsync("waiting"));
    }

    private static async Task<TaskRecord?> ClaimOneAsync(TaskRecordStore store, Lane lane, string owner, TimeSpan lease) =>
        (await store.ClaimAsync(lane, owner, lease, 1, CancellationToken.None)).SingleOrDefault();

    [Fact]
    public async Task ClaimsOfMany_ShareTheQueueWithoutOverlap_EachOldestFirst()
    {
        var store = await NewStoreAsync();
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        for (var i = 0; i < 100; i++)
        {
            await store.EnqueueAsync(new QueuedTask($"t{i:D3}", TaskOrigin.Batch, "b", "s__m.f", "{}", 10, TriggerTime: start.AddSeconds(i)));
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => store.ClaimAsync(Lane.Batch, $"silo{i}", TimeSpan.FromMinutes(1), 30, CancellationToken.None)));

        var all = claims.SelectMany(c => c.Select(t => t.Id)).ToList();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"t{i:D3}"), all.Order());
        Assert.All(claims, c => Assert.Equal(c.Select(t => t.Id).Order(), c.Select(t => t.Id)));
        Assert.Empty(await store.ClaimAsync(Lane.Batch, "late", TimeSpan.FromMinutes(1), 30, CancellationToken.None));
    }

    [Fact]
    public async Task CompletionsAndFirings_WrittenTogether_EachGetItsOwnOutcome()
    {
        var store = await NewStoreAsync();
        QueuedTask Firing(string config) => new($"{config}@1", TaskOrigin.Crontab, config, "s__m.f", "{}", 10, Lane.Cron,
            Crontab: new CrontabFiring(CrontabFiring.Scheduled, "* * * * *", 0));

        // 600 firings at once (more than one round trip holds), one of them twice.
        var firings = Enumerable.Range(0, 600).Select(i => $"c{i}").Append("c7").ToList();
        var statuses = await Task.WhenAll(firings.Select(c => store.EnqueueCrontabFiringAsync(Firing(c), "0", "{}")));
        Assert.Equal(600, statuses.Count(s => s == "queued"));
        Assert.Single(statuses, s => s is null);

        var claimed = await store.ClaimAsync(Lane.Cron, "silo", TimeSpan.FromMinutes(1), 1000, CancellationToken.None);
        Assert.Equal(600, claimed.Count);
        var end = DateTimeOffset.UtcNow;
        await Task.WhenAll(claimed.Select((t, i) => store.CompleteAsync(
            new TaskCompletion(t.Id, "success", end.AddSeconds(-1), end, 1, [$"line {i}"], $"{i}", null))));
        var record = await store.GetAsync(claimed[42].Id);
        Assert.Equal(("success", "42", "line 42"), (record!.Status, record.ResultJson, record.PrintLogs));
        Assert.Equal(end.AddSeconds(-1).ToUnixTimeMilliseconds(), record.StartTime!.Value.ToUnixTimeMilliseconds());
        Assert.Empty(await store.ClaimAsync(Lane.Cron, "other", TimeSpan.Zero, 1000, CancellationToken.None));
    }

    [Fact]
    public async Task Claim_GivesEachQueuedTaskToOneClaimant_InOrder()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(new QueuedTask("first", TaskOrigin.Batch, "b", "s__m.f", "{}", 10));
        await store.EnqueueAsync(new QueuedTask("second", TaskOrigin.Batch, "b", "s__m.f", "{}", 10));

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => ClaimOneAsync(store, Lane.Batch, $"silo{i}", TimeSpan.FromMinutes(1))));

        Assert.Equal(["first", "second"], claims.Where(c => c is not null).Select(c => c!.Id).Order().ToArray());
        Assert.All(claims.Where(c => c is not null), c => Assert.Equal("running", c!.Status));
        Assert.Null(await ClaimOneAsync(store, Lane.Batch, "late", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task ALease_KeepsATaskWithItsOwnerWhileRenewed_AndFreesItWhenNot()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(new QueuedTask("kept", TaskOrigin.Batch, "b", "s__m.f", "{}", 3600));
        await store.EnqueueAsync(new QueuedTask("dropped", TaskOrigin.Batch, "b", "s__m.f", "{}", 3600));
        var lease = TimeSpan.FromSeconds(2);
        Assert.Equal("kept", (await ClaimOneAsync(store, Lane.Batch, "alive", lease))?.Id);
        Assert.Equal("dropped", (await ClaimOneAsync(store, Lane.Batch, "dead", lease))?.Id);

        // The live owners renew what they hold ("alive" names the dead one's task too, which it cannot renew); the dead one does not.
        async Task<TaskRecord?> RenewAndClaimAsync()
        {
            await store.RenewLeasesAsync("alive", ["kept", "dropped"], lease, CancellationToken.None);
            await store.RenewLeasesAsync("other", ["dropped"], lease, CancellationToken.None);
            return await ClaimOneAsync(store, Lane.Batch, "other", lease);
        }
        var reclaimed = await Eventually.ValueAsync("the dead owner's task to be claimed again", RenewAndClaimAsync,
            task => task is not null, interval: TimeSpan.FromMilliseconds(400));
        Assert.Equal("dropped", reclaimed!.Id);
        for (var i = 0; i < 10; i++)
        {
            Assert.Null(await RenewAndClaimAsync());
            await Task.Delay(TimeSpan.FromMilliseconds(400));
        }
        Assert.Equal("running", (await store.GetAsync("kept"))?.Status);
    }

    [Fact]
    public async Task Claim_TakesOnlyTheLanesOwnTasks_AndNoneBeforeItsTime()
    {
        var store = await NewStoreAsync();
        await store.EnqueueAsync(new QueuedTask("cron-now", TaskOrigin.Crontab, "c", "s__m.f", "{}", 10, Lane.Cron));
        await store.EnqueueAsync(new QueuedTask("cron-later", TaskOrigin.Crontab, "c", "s__m.f", "{}", 10, Lane.Cron,
            RunAfter: DateTimeOffset.UtcNow.AddHours(1)));

        Assert.Null(await ClaimOneAsync(store, Lane.Batch, "silo", TimeSpan.FromMinutes(1)));
        Assert.Equal("cron-now", (await ClaimOneAsync(store, Lane.Cron, "silo", TimeSpan.FromMinutes(1)))?.Id);
        Assert.Null(await ClaimOneAsync(store, Lane.Cron, "silo", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task CrontabFiring_IsQueuedOnce_AndSkippedWhileThePreviousRunWaits()
    {
        var store = await NewStoreAsync();
        QueuedTask Firing(string id, string delay) => new(id, TaskOrigin.Crontab, "c", "s__m.f", "{}", 10, Lane.Cron,
            Crontab: new CrontabFiring(CrontabFiring.Scheduled, "* * * * *", int.Parse(delay)));

        Assert.Equal("queued", await store.EnqueueCrontabFiringAsync(Firing("c@1", "0"), "0", "{}"));
        Assert.Null(await store.EnqueueCrontabFiringAsync(Firing("c@1", "0"), "0", "{}"));
        Assert.Equal("skipped", await store.EnqueueCrontabFiringAsync(Firing("c@2", "0"), "0", """{"type":"Skipped"}"""));
        Assert.Equal("queued", await store.EnqueueCrontabFiringAsync(Firing("c@2-d30", "30"), "30", "{}"));

        var skipped = await store.GetAsync("c@2");
        Assert.Equal("skipped", skipped!.Status);
        Assert.Equal("""{"type":"Skipped"}""", skipped.ErrorJson);
        Assert.NotNull(skipped.EndTime);
    }

    [Fact]
    public async Task AFailuresRetry_IsQueuedWithItsCompletion_AndOnceHoweverManySilosCompleteIt()
    {
        var store = await NewStoreAsync();
        var onFailure = new FailureHandling(new RetryPolicy(2, Delay: 30), "s__m.handler");
        await store.EnqueueAsync(new QueuedTask("t1", TaskOrigin.Batch, "b", "s__m.f", """{"n": 1}""", 10, OnFailure: onFailure));
        var first = (await ClaimOneAsync(store, Lane.Batch, "silo-a", TimeSpan.FromMinutes(1)))!;
        Assert.Equal(onFailure, StoredContext.Read(first.ContextJson).OnFailure);
        var retry = new QueuedTask("t1~2", TaskOrigin.Batch, "b", "s__m.f", first.KwargsJson, 10, RunAfter: DateTimeOffset.UtcNow.AddSeconds(30),
            OnFailure: onFailure, FirstTaskId: "t1", Attempt: 2);
        var end = DateTimeOffset.UtcNow;

        // Two silos complete the same task (the first lost its lease while it ran): one retry is queued.
        await Task.WhenAll(new[] { "silo-a", "silo-b" }.Select(_ => store.CompleteAsync(
            new TaskCompletion("t1", "failure", end, end, 0, [], null, """{"type":"RuntimeError"}""", retry))));

        var attempts = await store.ListAttemptsAsync("t1");
        Assert.Equal(["t1", "t1~2"], attempts.Select(a => a.Id));
        Assert.Equal(("failure", 1, (string?)null), (attempts[0].Status, attempts[0].Attempt, attempts[0].FirstTaskId));
        Assert.Equal(("queued", 2, "t1"), (attempts[1].Status, attempts[1].Attempt, attempts[1].FirstTaskId));
        Assert.Equal(onFailure, StoredContext.Read(attempts[1].ContextJson).OnFailure);
        Assert.Equal("t1~2", (await store.GetLatestAttemptAsync("t1"))!.Id);
        // The retry waits for its backoff.
        Assert.Null(await ClaimOneAsync(store, Lane.Batch, "silo-a", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task PruneOrigin_KeepsTheNewestRecordsOfThatOriginOnly()
    {
        var store = await NewStoreAsync();
        var now = DateTimeOffset.UtcNow;
        await store.InsertFinishedAsync(
            [Finished("a1", "linkA", now.AddMinutes(-3)), Finished("a2", "linkA", now.AddMinutes(-2)), Finished("a3", "linkA", now.AddMinutes(-1)),
             Finished("b1", "linkB", now.AddMinutes(-9))], CancellationToken.None);

        Assert.Equal(2, await store.PruneOriginAsync(TaskOrigin.AuthLink, "linkA", keep: 1, CancellationToken.None));

        Assert.Equal(["a3"], (await store.ListAsync(new TaskRecordFilter("authLink", "linkA"), new PageRequest(1, 100))).Items.Select(r => r.Id).ToArray());
        Assert.Single((await store.ListAsync(new TaskRecordFilter("authLink", "linkB"), new PageRequest(1, 100))).Items);
    }

    private static TaskRecord Finished(string id, string originId, DateTimeOffset trigger) =>
        new(id, "authLink", originId, "s__m.f", "{}", 30, "success", trigger, trigger, trigger, 0.01, "", "1", null);
}
