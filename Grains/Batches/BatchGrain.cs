using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.Hosting;

namespace OrleansFunc.Batches;

public sealed class BatchGrain(
    [PersistentState("batch", OrleansFuncSiloExtensions.StorageName)] IPersistentState<BatchState> state,
    TimeProvider clock) : DirectoryEntityGrain<BatchState, BatchInfo>(state), IBatchGrain
{

    public async Task<BatchInfo> CreateAsync(BatchFields fields)
    {
        CallRules.RequireValidId(Id);
        CallRules.RequireValidTemplate(fields.Note, fields.FuncCallKwargsJson);
        if (Stored.State.Exists)
        {
            throw DffException.Duplicated("BatchExists", $"Batch '{Id}' already exists", new { id = Id });
        }
        var funcId = await CallRules.RequireNewFuncIdAsync(GrainFactory, fields.FuncId);
        var now = clock.GetUtcNow();
        return await SaveAsync(new BatchState
        {
            Exists = true,
            FuncId = funcId,
            FuncCallKwargsJson = fields.FuncCallKwargsJson ?? "{}",
            ShowInDoc = fields.ShowInDoc ?? false,
            IsDisabled = fields.IsDisabled ?? false,
            Note = fields.Note ?? "",
            CreateTime = now,
            UpdateTime = now,
        });
    }

    public Task<BatchInfo> GetAsync()
    {
        RequireExists();
        return Task.FromResult(ToInfo());
    }

    public async Task<BatchInfo> UpdateAsync(BatchFields fields)
    {
        RequireExists();
        CallRules.RequireValidTemplate(fields.Note, fields.FuncCallKwargsJson);
        if (fields.FuncId is not null && fields.FuncId != Stored.State.FuncId)
        {
            await CallRules.RequireFuncExistsAsync(GrainFactory, fields.FuncId);
        }
        var current = Stored.State;
        return await SaveAsync(current with
        {
            FuncId = fields.FuncId ?? current.FuncId,
            FuncCallKwargsJson = fields.FuncCallKwargsJson ?? current.FuncCallKwargsJson,
            ShowInDoc = fields.ShowInDoc ?? current.ShowInDoc,
            IsDisabled = fields.IsDisabled ?? current.IsDisabled,
            Note = fields.Note ?? current.Note,
            UpdateTime = clock.GetUtcNow(),
        });
    }

    public async Task DeleteAsync()
    {
        RequireExists();
        await UnlistAndClearAsync();
    }

    public Task<CallAdmission> AdmitAsync(string callerKwargsJson)
    {
        RequireOpen();
        var batch = Stored.State;
        return Task.FromResult(new CallAdmission(batch.FuncId, CallRules.MergeKwargs(batch.FuncCallKwargsJson, callerKwargsJson, batch.FuncId)));
    }

    public Task CheckOpenAsync()
    {
        RequireOpen();
        return Task.CompletedTask;
    }

    private void RequireOpen()
    {
        RequireExists();
        if (Stored.State.IsDisabled)
        {
            throw DffException.Condition("BatchDisabled", "This batch is disabled", new { id = Id });
        }
    }

    protected override BatchInfo ToInfo()
    {
        var s = Stored.State;
        return new BatchInfo(Id, s.FuncId, s.FuncCallKwargsJson, s.ShowInDoc, s.IsDisabled, s.Note, s.CreateTime, s.UpdateTime);
    }

    protected override (string Reason, string Noun) Missing => ("NoSuchBatch", "Batch");
}
