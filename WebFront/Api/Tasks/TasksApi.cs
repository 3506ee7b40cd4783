using System.Text.Json;
using OrleansFunc.Common;
using OrleansFunc.Engine;
using OrleansFunc.Errors;
using OrleansFunc.Records;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Tasks;

/// <summary>Results of asynchronous calls (public, by task ID) and the task records (signed in).</summary>
public static class TasksApi
{
    public static IEndpointRouteBuilder MapFuncResultApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/func-result", GetResultAsync).WithTags("Batch calls");
        return app;
    }

    public static RouteGroupBuilder MapTaskRecordsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/task-records", ListAsync).WithTags("Task records");
        api.MapGet("/task-records/{id}", GetAsync).WithTags("Task records");
        api.MapGet("/task-records/{id}/attempts", ListAttemptsAsync).WithTags("Task records");
        return api;
    }

    private static async Task<EnvelopeResult<TaskView>> GetResultAsync(string? taskId, TaskRecordStore tasks)
    {
        if (string.IsNullOrEmpty(taskId))
        {
            throw DffException.BadRequest("MissingTaskId", "'taskId' is required", new { field = "taskId" });
        }
        // Public: only the results of batch calls, whose task IDs are random and given to their caller
        // alone. Other tasks (crontab firings, DFF.FUNC, sampled sync calls) have guessable IDs or carry
        // kwargs nobody outside may read; they answer exactly as a missing task does.
        // A call that was retried answers with its newest attempt (queued while a retry waits).
        var task = await tasks.GetLatestAttemptAsync(taskId);
        if (task is null || task.Origin != TaskOrigin.Batch.WireName())
        {
            throw NoSuchTask(taskId);
        }
        return Envelopes.Ok(TaskView.Of(task));
    }

    private static async Task<EnvelopeResult<TaskView>> GetAsync(string id, TaskRecordStore tasks) =>
        Envelopes.Ok(TaskView.Of(await tasks.GetAsync(id) ?? throw NoSuchTask(id)));

    /// <summary>The attempts of the run whose first attempt (or any attempt) is <paramref name="id"/>, then its error handler's call.</summary>
    private static async Task<EnvelopeResult<IReadOnlyList<TaskView>>> ListAttemptsAsync(string id, TaskRecordStore tasks)
    {
        var task = await tasks.GetAsync(id) ?? throw NoSuchTask(id);
        var attempts = await tasks.ListAttemptsAsync(task.FirstAttemptId);
        return Envelopes.Ok<IReadOnlyList<TaskView>>(attempts.Select(TaskView.Of).ToList());
    }

    private static DffException NoSuchTask(string taskId) => DffException.NotFound("NoSuchTask", $"No such task: '{taskId}'", new { taskId });

    /// <summary>Task records newest first, filtered by origin, origin ID, func and status (each optional).</summary>
    private static async Task<EnvelopeResult<IReadOnlyList<TaskView>>> ListAsync(
        string? origin, string? originId, string? funcId, string? status, [AsParameters] Paging paging, TaskRecordStore tasks)
    {
        if (origin is not null && !WireNames<TaskOrigin>.TryParse(origin, out _))
        {
            throw DffException.BadRequest("InvalidOrigin", $"No such origin: '{origin}' (one of {string.Join(", ", WireNames<TaskOrigin>.All)})");
        }
        if (status is not null && !TaskStatuses.All.Contains(status))
        {
            throw DffException.BadRequest("InvalidStatus", $"No such status: '{status}' (one of {string.Join(", ", TaskStatuses.All)})",
                new { field = "status" });
        }
        var page = await tasks.ListAsync(new TaskRecordFilter(origin, originId, funcId, status), paging.ToRequest());
        return Envelopes.Page(page.Map(TaskView.Of));
    }
}
