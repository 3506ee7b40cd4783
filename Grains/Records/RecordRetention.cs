using Microsoft.Extensions.Logging;
using OrleansFunc.Common;
using OrleansFunc.Engine;
using OrleansFunc.Hosting;

namespace OrleansFunc.Records;

/// <summary>
/// Every five minutes, applies the retention limits of task records (per origin, and the own limits of auth links and
/// batches) and operation records and drops expired
/// <c>DFF.STORE</c> entries. Any silo
/// may; the deletes of two silos do not conflict.
/// </summary>
public sealed class RecordRetention(
    TaskRecordStore tasks, OperationRecordStore operations, FuncStore store, IGrainFactory grains, OrleansFuncOptions options,
    ILogger<RecordRetention> logger)
    : PeriodicBackgroundService(TimeSpan.FromMinutes(5), firstRoundAtStart: true, LogLevel.Warning, logger)
{
    protected override async Task RunRoundAsync(CancellationToken stoppingToken)
    {
        await tasks.PruneAsync(options.Engine.TaskRecordsPerOrigin, options.Engine.TaskRecordMaxAge, options.Engine.BatchResultsKeptFor, stoppingToken);
        await PruneEntitiesAsync(stoppingToken);
        await operations.PruneAsync(options.OperationRecordsKept, stoppingToken);
        await store.PurgeExpiredAsync(stoppingToken);
    }

    /// <summary>The auth links and batches with a record limit of their own keep that many (a batch's young results stay).</summary>
    private async Task PruneEntitiesAsync(CancellationToken stoppingToken)
    {
        var links = await Library.LibrarySnapshot.ListAllAsync(page => grains.DirectoryOf<AuthLinks.AuthLinkInfo>().ListAsync(page));
        foreach (var link in links.Where(l => l.TaskRecordLimit is not null))
        {
            await tasks.PruneOriginAsync(TaskOrigin.AuthLink, link.Id, link.TaskRecordLimit!.Value, stoppingToken);
        }
        var batches = await Library.LibrarySnapshot.ListAllAsync(page => grains.DirectoryOf<Batches.BatchInfo>().ListAsync(page));
        foreach (var batch in batches.Where(b => b.TaskRecordLimit is not null))
        {
            await tasks.PruneOriginAsync(TaskOrigin.Batch, batch.Id, batch.TaskRecordLimit!.Value, stoppingToken, options.Engine.BatchResultsKeptFor);
        }
    }
}
