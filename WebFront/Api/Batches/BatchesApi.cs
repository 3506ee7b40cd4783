using OrleansFunc.Common;
using System.Text.Json;
using OrleansFunc.Batches;
using OrleansFunc.Engine;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.WebFront.Auth;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Batches;

/// <summary><c>/api/v1/batches</c>: managing batches (SPEC M4).</summary>
public static class BatchesApi
{
    /// <summary>
    /// Fields of a batch as the API takes them: <c>retry</c> as <see cref="RetryField"/> reads it; an empty <c>apiAuthId</c>
    /// or <c>errorHandlerFuncId</c> removes it.
    /// </summary>
    public sealed record BatchBody(
        string? Id, string? FuncId, JsonElement? FuncCallKwargs, bool? ShowInDoc, bool? IsDisabled, string? Note, string? ApiAuthId = null,
        int? TaskRecordLimit = null, JsonElement Retry = default, string? ErrorHandlerFuncId = null)
    {
        public BatchFields ToFields()
        {
            if (FuncCallKwargs is { ValueKind: not JsonValueKind.Object })
            {
                throw DffException.BadRequest("InvalidKwargs", "'funcCallKwargs' must be a JSON object", new { field = "funcCallKwargs" });
            }
            var (retry, clearRetry) = RetryField.Read(Retry);
            return new BatchFields(FuncId, FuncCallKwargs?.GetRawText(), ShowInDoc, IsDisabled, Note, ApiAuthId, TaskRecordLimit,
                retry, clearRetry, ErrorHandlerFuncId);
        }
    }

    /// <summary>A batch as the API shows it: the kwargs template as a JSON object.</summary>
    public sealed record BatchView(string Id, string FuncId, JsonElement FuncCallKwargs, bool ShowInDoc, bool IsDisabled, string Note,
        DateTimeOffset CreateTime, DateTimeOffset UpdateTime, string? ApiAuthId, int? TaskRecordLimit, RetryPolicy? Retry, string? ErrorHandlerFuncId)
    {
        public static BatchView Of(BatchInfo b) => new(b.Id, b.FuncId, JsonDocument.Parse(b.FuncCallKwargsJson).RootElement.Clone(),
            b.ShowInDoc, b.IsDisabled, b.Note, b.CreateTime, b.UpdateTime, b.ApiAuthId, b.TaskRecordLimit, b.Retry, b.ErrorHandlerFuncId);
    }

    public sealed record DeletedBatch(string Id);

    public static RouteGroupBuilder MapBatchesApi(this RouteGroupBuilder api)
    {
        var batches = api.MapGroup("/batches").WithTags("Batches");
        batches.MapGet("/", ListAsync);
        batches.MapPost("/", CreateAsync).RecordsOperation(EntityType.Batch, "create");
        batches.MapGet("/{id}", GetAsync);
        batches.MapPatch("/{id}", UpdateAsync).RecordsOperation(EntityType.Batch, "modify");
        batches.MapDelete("/{id}", DeleteAsync).RecordsOperation(EntityType.Batch, "delete");
        return api;
    }

    private static async Task<EnvelopeResult<IReadOnlyList<BatchView>>> ListAsync([AsParameters] Paging paging, IGrainFactory grains)
    {
        var page = await grains.DirectoryOf<BatchInfo>().ListAsync(paging.ToRequest());
        return Envelopes.Page(page.Map(BatchView.Of));
    }

    private static async Task<EnvelopeResult<BatchView>> CreateAsync(BatchBody body, IGrainFactory grains)
    {
        var id = body.Id ?? CallRules.NewId("bat");
        CallRules.RequireValidId(id);
        return Envelopes.Ok(BatchView.Of(await grains.GetGrain<IBatchGrain>(id).CreateAsync(body.ToFields())));
    }

    private static async Task<EnvelopeResult<BatchView>> GetAsync(string id, IGrainFactory grains) =>
        Envelopes.Ok(BatchView.Of(await grains.GetGrain<IBatchGrain>(id).GetAsync()));

    private static async Task<EnvelopeResult<BatchView>> UpdateAsync(string id, BatchBody body, IGrainFactory grains) =>
        body.Id is not null && body.Id != id
            ? throw DffException.BadRequest("IdChange", "A batch's ID cannot be changed", new { field = "id" })
            : Envelopes.Ok(BatchView.Of(await grains.GetGrain<IBatchGrain>(id).UpdateAsync(body.ToFields())));

    private static async Task<EnvelopeResult<DeletedBatch>> DeleteAsync(string id, IGrainFactory grains)
    {
        await grains.GetGrain<IBatchGrain>(id).DeleteAsync();
        return Envelopes.Ok(new DeletedBatch(id));
    }
}
