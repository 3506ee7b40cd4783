using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansFunc.Hosting;

namespace OrleansFunc.Records;

/// <summary>
/// Every five minutes, applies the retention limits of task records and operation records. Any silo
/// may; the deletes of two silos do not conflict.
/// </summary>
public sealed partial class RecordRetention(
    TaskRecordStore tasks, OperationRecordStore operations, OrleansFuncOptions options, ILogger<RecordRetention> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                try
                {
                    await tasks.PruneAsync(options.Engine.TaskRecordsPerOrigin, options.Engine.TaskRecordMaxAge, stoppingToken);
                    await operations.PruneAsync(options.OperationRecordsKept, stoppingToken);
                }
                catch (Exception failure) when (failure is not OperationCanceledException)
                {
                    LogPruneFailed(logger, failure);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // the silo is stopping
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove old task or operation records")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
