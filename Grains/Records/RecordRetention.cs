using Microsoft.Extensions.Logging;
using OrleansFunc.Common;
using OrleansFunc.Hosting;

namespace OrleansFunc.Records;

/// <summary>
/// Every five minutes, applies the retention limits of task records and operation records and drops expired
/// <c>DFF.STORE</c> entries. Any silo
/// may; the deletes of two silos do not conflict.
/// </summary>
public sealed class RecordRetention(
    TaskRecordStore tasks, OperationRecordStore operations, FuncStore store, OrleansFuncOptions options, ILogger<RecordRetention> logger)
    : PeriodicBackgroundService(TimeSpan.FromMinutes(5), firstRoundAtStart: true, LogLevel.Warning, logger)
{
    protected override async Task RunRoundAsync(CancellationToken stoppingToken)
    {
        await tasks.PruneAsync(options.Engine.TaskRecordsPerOrigin, options.Engine.TaskRecordMaxAge, options.Engine.BatchResultsKeptFor, stoppingToken);
        await operations.PruneAsync(options.OperationRecordsKept, stoppingToken);
        await store.PurgeExpiredAsync(stoppingToken);
    }
}
