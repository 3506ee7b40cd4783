using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.Hosting;
using OrleansFunc.Records;

namespace OrleansFunc.Engine;

/// <summary>
/// Runs the persisted queue of asynchronous work on this silo: for each queued lane (batch calls and
/// <c>DFF.FUNC</c> on the batch lane, crontab runs on the cron lane) it claims the oldest waiting task
/// under a lease, runs it, and completes its record. Tasks of a silo that died are claimed again
/// when their lease runs out.
/// </summary>
public sealed partial class TaskDispatcher(
    TaskRecordStore tasks, FuncInvoker invoker, TaskQueueSignal signal, OrleansFuncOptions options, ILogger<TaskDispatcher> logger)
    : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly Lane[] QueuedLanes = [Lane.Batch, Lane.Cron];
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(QueuedLanes.Select(lane => DispatchAsync(lane, stoppingToken)));

    /// <summary>Keeps as many of the lane's tasks running as the lane has workers.</summary>
    private async Task DispatchAsync(Lane lane, CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(options.Engine.Lanes[lane].Workers);
        while (!stoppingToken.IsCancellationRequested)
        {
            await slots.WaitAsync(stoppingToken);
            TaskRecord? task;
            try
            {
                task = await tasks.ClaimNextAsync(lane, _owner, options.Engine.Lanes[lane].DefaultTimeoutSeconds,
                    options.Engine.TaskLeaseGrace, stoppingToken);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                LogClaimFailed(logger, failure);
                task = null;
            }
            if (task is null)
            {
                slots.Release();
                await signal.WaitAsync(lane, PollInterval, stoppingToken);
                continue;
            }
            _ = RunAsync(lane, task).ContinueWith(_ => slots.Release(), TaskScheduler.Default);
        }
    }

    private async Task RunAsync(Lane lane, TaskRecord task)
    {
        try
        {
            var timeout = task.TimeoutSeconds > 0 ? task.TimeoutSeconds : (int?)null;
            var context = new RunContext(WireNames<TaskOrigin>.TryParse(task.Origin, out var origin) ? origin : TaskOrigin.Direct, task.OriginId)
            {
                TaskId = task.Id,
                FuncChain = JsonSerializer.Deserialize<List<string>>(task.FuncChainJson) ?? [],
                TriggerTime = task.TriggerTime,
                Crontab = StoredContext.ReadCrontab(task.ContextJson),
            };
            var (run, _) = await invoker.CallAsync(task.FuncId, task.KwargsJson, new FuncCallOptions(timeout), lane, context);
            await tasks.CompleteAsync(task.Id, run.Status, run.Cost, run.PrintLogs, run.ResultJson,
                run.Error is null ? null : JsonSerializer.Serialize(run.Error, JsonSerializerOptions.Web));
        }
        catch (DffException refused)
        {
            // The func is gone (deleted or unpublished since the call was queued).
            await tasks.CompleteAsync(task.Id, FuncRunStatus.Failure, 0, [], null,
                JsonSerializer.Serialize(new FuncError(refused.Reason, refused.Message, null, ""), JsonSerializerOptions.Web));
        }
        catch (Exception failure)
        {
            LogRunFailed(logger, failure, task.Id);
        }
    }
}
