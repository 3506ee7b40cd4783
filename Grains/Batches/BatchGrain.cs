using OrleansFunc.Common;
using OrleansFunc.Funcs;
using OrleansFunc.Hosting;

namespace OrleansFunc.Batches;

public sealed class BatchGrain(
    [PersistentState("batch", OrleansFuncSiloExtensions.StorageName)] IPersistentState<BatchState> state,
    TimeProvider clock) : CallEntryGrain<BatchState, BatchInfo, BatchFields>(state, clock), IBatchGrain
{
    protected override (string ReasonPrefix, string Noun) Kind => ("Batch", "batch");

    protected override BatchState Created(BatchFields fields, string funcId, DateTimeOffset now) => new()
    {
        Exists = true,
        FuncId = funcId,
        FuncCallKwargsJson = fields.FuncCallKwargsJson ?? "{}",
        ShowInDoc = fields.ShowInDoc ?? false,
        IsDisabled = fields.IsDisabled ?? false,
        Note = fields.Note ?? "",
        ApiAuthId = ApiAuthAfter(fields.ApiAuthId, null),
        TaskRecordLimit = fields.TaskRecordLimit,
        Retry = FailureHandlingRules.RetryAfter(fields.Retry, fields.ClearRetry, null),
        ErrorHandlerFuncId = FailureHandlingRules.HandlerAfter(fields.ErrorHandlerFuncId, null),
        CreateTime = now,
        UpdateTime = now,
    };

    protected override BatchState Updated(BatchState current, BatchFields fields, DateTimeOffset now) => current with
    {
        FuncId = fields.FuncId ?? current.FuncId,
        FuncCallKwargsJson = fields.FuncCallKwargsJson ?? current.FuncCallKwargsJson,
        ShowInDoc = fields.ShowInDoc ?? current.ShowInDoc,
        IsDisabled = fields.IsDisabled ?? current.IsDisabled,
        Note = fields.Note ?? current.Note,
        ApiAuthId = ApiAuthAfter(fields.ApiAuthId, current.ApiAuthId),
        TaskRecordLimit = fields.TaskRecordLimit ?? current.TaskRecordLimit,
        Retry = FailureHandlingRules.RetryAfter(fields.Retry, fields.ClearRetry, current.Retry),
        ErrorHandlerFuncId = FailureHandlingRules.HandlerAfter(fields.ErrorHandlerFuncId, current.ErrorHandlerFuncId),
        UpdateTime = now,
    };

    protected override Task RequireValidReferencesAsync(BatchFields fields) =>
        FailureHandlingRules.RequireValidAsync(GrainFactory, fields.Retry, fields.ErrorHandlerFuncId);

    protected override Engine.FailureHandling? OnFailure => Engine.FailureHandling.Of(Stored.State.Retry, Stored.State.ErrorHandlerFuncId);

    protected override BatchInfo ToInfo()
    {
        var s = Stored.State;
        return new BatchInfo(Id, s.FuncId, s.FuncCallKwargsJson, s.ShowInDoc, s.IsDisabled, s.Note, s.CreateTime, s.UpdateTime, s.ApiAuthId,
            s.TaskRecordLimit, s.Retry, s.ErrorHandlerFuncId);
    }

    protected override (string Reason, string Noun) Missing => ("NoSuchBatch", "Batch");
}
