using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansFunc.Common;
using OrleansFunc.Engine;
using OrleansFunc.Hosting;

namespace OrleansFunc.Records;

/// <summary>
/// Task records of synchronous calls (auth links, the func API): every failure and a sample of the
/// successes (SPEC M10), queued in memory and written in batches off the request path, again while
/// PostgreSQL is away. Under overload or a long outage the oldest unwritten records are dropped, never the calls.
/// </summary>
public sealed partial class SyncTaskRecorder(TaskRecordStore store, OrleansFuncOptions options, ILogger<SyncTaskRecorder> logger)
    : BackgroundService
{
    private const int BatchSize = 500;

    private readonly Channel<TaskRecord> _pending = Channel.CreateBounded<TaskRecord>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    /// <summary>Queues the record of a finished synchronous run if it failed or was sampled.</summary>
    public void Record(string taskId, string origin, string originId, string funcId, string kwargsJson, int timeoutSeconds,
        DateTimeOffset triggerTime, FuncRunResult run)
    {
        if (run.IsSuccess && Random.Shared.NextDouble() >= options.Engine.SyncTaskRecordSampleRate)
        {
            return;
        }
        var end = DateTimeOffset.UtcNow;
        _pending.Writer.TryWrite(new TaskRecord(taskId, origin, originId, funcId, kwargsJson, timeoutSeconds, run.Status, triggerTime,
            end - TimeSpan.FromSeconds(run.Cost), end, run.Cost, string.Join('\n', run.PrintLogs), run.ResultJson,
            run.Error is null ? null : JsonSerializer.Serialize(run.Error, JsonSerializerOptions.Web)));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<TaskRecord>(BatchSize);
        while (await _pending.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
        {
            while (batch.Count < BatchSize && _pending.Reader.TryRead(out var record))
            {
                batch.Add(record);
            }
            // Asked again while PostgreSQL is away (the rows' IDs make a repeat harmless); meanwhile new records wait
            // in the bounded queue, which drops its oldest only when full.
            for (var wait = DatabaseRetry.FirstWait; ; wait = DatabaseRetry.After(wait))
            {
                try
                {
                    await store.InsertFinishedAsync(batch, stoppingToken);
                    break;
                }
                catch (Exception failure) when (failure is not OperationCanceledException)
                {
                    LogWriteFailed(logger, failure, batch.Count, wait);
                    await Task.Delay(wait, stoppingToken);
                }
            }
            batch.Clear();
        }
    }
}
