using OrleansFunc.Batches;
using OrleansFunc.Engine;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.Records;
using OrleansFunc.WebFront.Api.Calls;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Batches;

/// <summary>
/// <c>GET|POST /api/v1/bat/{id}[/{format}[/*]]</c>: asynchronous calls. The call is written to the
/// task queue (PostgreSQL) before it is answered with its task ID, so it survives restarts.
/// </summary>
public static class BatchCallsApi
{
    public sealed record QueuedCall(string TaskId, string ResultURL);

    public static IEndpointRouteBuilder MapBatchCallsApi(this IEndpointRouteBuilder app)
    {
        var calls = app.MapGroup("/api/v1/bat").WithTags("Batch calls").WithCallBodyLimit();
        calls.MapMethods("/{id}", [HttpMethods.Get, HttpMethods.Post], CallAsync);
        calls.MapMethods("/{id}/{format}", [HttpMethods.Get, HttpMethods.Post], CallAsync);
        calls.MapMethods("/{id}/{format}/{**rest}", [HttpMethods.Get, HttpMethods.Post], CallAsync);
        return app;
    }

    private static async Task<EnvelopeResult<QueuedCall>> CallAsync(
        string id, string? format, HttpContext http, IGrainFactory grains, TaskRecordStore tasks, TaskQueueSignal signal, UploadStore uploads,
        ApiAuthentication authentication, PublishedCodeCache codes, CallEntryViews views)
    {
        var (admission, arguments) = await AdmittedCall.AdmitAsync(
            grains.GetGrain<IBatchGrain>(id), http.Request, format, uploads, TaskOrigin.Batch, authentication, views);
        // Arguments of the wrong type are refused now, not when the task runs.
        var kwargsJson = (await codes.FindFuncAsync(admission.FuncId))?.TypedKwargs(admission.KwargsJson) ?? admission.KwargsJson;
        var taskId = $"task-{Guid.NewGuid():N}";
        await tasks.EnqueueAsync(new QueuedTask(taskId, TaskOrigin.Batch, id, admission.FuncId, kwargsJson, arguments.Options.Run.Timeout ?? 0,
            RunAfter: arguments.Options.RunAfter, OnFailure: admission.OnFailure, HttpRequestJson: HttpRequestContext.Describe(http.Request, arguments.BodyJson)));
        signal.Notify(TaskOrigin.Batch.Describe().Lane);
        return Envelopes.Ok(new QueuedCall(taskId, $"/api/v1/func-result?taskId={taskId}"));
    }
}
