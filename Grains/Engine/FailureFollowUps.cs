using System.Text.Json;
using OrleansFunc.Common;
using OrleansFunc.Funcs;
using OrleansFunc.Records;
using OrleansFunc.Settings;

namespace OrleansFunc.Engine;

/// <summary>
/// What the failure (or timeout) of a queued run queues: its next attempt while a retry policy allows one (its batch's
/// or crontab config's, else its func's <c>DFF.API(retry=…)</c>), else the error handler's call with the failed task's
/// record (its batch's or config's handler, else the installation's). Each is a queued task whose ID names the first
/// attempt (<c>&lt;first&gt;~2</c>, <c>&lt;first&gt;~handler</c>), so however many silos complete a task, it is queued once.
/// An error handler's own failure queues nothing.
/// </summary>
public sealed class FailureFollowUps(PublishedCodeCache codes, IGrainFactory grains, TimeProvider clock)
{
    private const string HandlerSuffix = "~handler";

    /// <summary>The task that follows <paramref name="ended"/>, or null when it succeeded or nothing is asked for.</summary>
    /// <param name="canRetry">False when the platform refused the run (its func is gone): another attempt would be refused too.</param>
    public async Task<QueuedTask?> AfterAsync(TaskRecord task, Lane lane, TaskCompletion ended, bool canRetry)
    {
        if (ended.Status is not (FuncRunStatus.Failure or FuncRunStatus.Timeout) || task.Origin == TaskOrigin.ErrorHandler.WireName())
        {
            return null;
        }
        var stored = StoredContext.Read(task.ContextJson);
        var asked = stored.OnFailure;
        var retry = asked?.Retry ?? (await codes.FindFuncAsync(task.FuncId))?.Retry;
        if (canRetry && retry is not null && retry.Allows(task.Attempt))
        {
            return Retry(task, lane, retry, stored);
        }
        var handler = asked?.ErrorHandlerFuncId
            ?? (await grains.GetGrain<IInstallationSettingsGrain>(IInstallationSettingsGrain.Key).GetAsync()).ErrorHandlerFuncId;
        return handler is null ? null : HandlerCall(task, ended, handler);
    }

    private QueuedTask Retry(TaskRecord task, Lane lane, RetryPolicy retry, StoredContext.Contents stored) =>
        new($"{task.FirstAttemptId}~{task.Attempt + 1}", WireNames<TaskOrigin>.Parse(task.Origin), task.OriginId, task.FuncId, task.KwargsJson,
            task.TimeoutSeconds, lane, task.FuncChainJson, stored.Crontab, task.TriggerTime,
            RunAfter: clock.GetUtcNow() + retry.DelayAfter(task.Attempt), OnFailure: stored.OnFailure, FirstTaskId: task.FirstAttemptId,
            Attempt: task.Attempt + 1, HttpRequestJson: stored.HttpRequestJson, Caller: stored.Caller);

    /// <summary>The handler's call: <c>handler(task={…})</c>, the failed attempt's record as the task record API shows it.</summary>
    private static QueuedTask HandlerCall(TaskRecord task, TaskCompletion ended, string handlerFuncId)
    {
        var failed = task with
        {
            Status = ended.Status, StartTime = ended.StartTime, EndTime = ended.EndTime, Cost = ended.Cost,
            PrintLogs = string.Join('\n', ended.PrintLogs), ResultJson = ended.ResultJson, ErrorJson = ended.ErrorJson,
        };
        var kwargs = JsonSerializer.Serialize(new { task = TaskView.Of(failed) }, JsonSerializerOptions.Web);
        var origin = TaskOrigin.ErrorHandler;
        return new QueuedTask(task.FirstAttemptId + HandlerSuffix, origin, task.Id, handlerFuncId, kwargs, 0, origin.Describe().Lane,
            FirstTaskId: task.FirstAttemptId);
    }
}
