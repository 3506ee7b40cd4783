using System.Text.Json;
using ErrorFields = OrleansFunc.Engine.Protocol.WorkerMessages.Error;
using Fields = OrleansFunc.Engine.Protocol.WorkerMessages.Result;

namespace OrleansFunc.Engine;

/// <summary>Reads the worker's result (<see cref="Protocol.WorkerMessages.Result"/>), and describes runs that ended with a killed worker.</summary>
public static class WorkerResults
{
    public static FuncRunResult Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        FuncError? error = null;
        if (root.TryGetProperty(Fields.Error, out var e) && e.ValueKind == JsonValueKind.Object)
        {
            error = new FuncError(
                e.GetProperty(ErrorFields.Type).GetString() ?? "Error",
                e.GetProperty(ErrorFields.Message).GetString() ?? "",
                e.TryGetProperty(ErrorFields.Line, out var line) && line.ValueKind == JsonValueKind.Number ? line.GetInt32() : null,
                e.TryGetProperty(ErrorFields.Traceback, out var traceback) ? traceback.GetString() ?? "" : "");
        }
        return new FuncRunResult(
            root.GetProperty(Fields.Status).GetString() ?? FuncRunStatus.Failure,
            root.TryGetProperty(Fields.Value, out var result) ? result.GetRawText() : null,
            root.TryGetProperty(Fields.PrintLogs, out var logs) ? logs.EnumerateArray().Select(l => l.GetString() ?? "").ToList() : [],
            root.TryGetProperty(Fields.Cost, out var cost) ? cost.GetDouble() : 0,
            error,
            root.TryGetProperty(Fields.Funcs, out var funcs) ? funcs.GetRawText() : null,
            null,
            root.TryGetProperty(Fields.ResponseControl, out var control) ? control.GetRawText() : null,
            root.TryGetProperty(Fields.Notes, out var notes) ? notes.GetRawText() : null);
    }

    /// <summary>The worker had to be killed (a timeout that Python could not raise, a crash), or there was none.</summary>
    public static FuncRunResult Killed(FuncRunRequest request, WorkerOutcome outcome)
    {
        var reason = outcome.KillReason ?? KillReason.Crashed;
        var error = reason switch
        {
            KillReason.Timeout => new FuncError("FuncTimeout",
                $"Func ran past its time limit of {request.TimeoutSeconds} s and its worker was killed ({outcome.KillDetail})", null, ""),
            KillReason.MemoryLimit => new FuncError("FuncMemoryLimit",
                $"Func used more memory than a worker may ({outcome.KillDetail}); its worker was killed", null, ""),
            KillReason.NoWorker => new FuncError("WorkerUnavailable",
                $"No Python worker could run the func: {outcome.KillDetail}", null, ""),
            KillReason.Cancelled => new FuncError("FuncCancelled", $"The run was stopped before it ended: {outcome.KillDetail}", null, ""),
            KillReason.SiloLost => new FuncError("SiloLost",
                $"The silo running the func left the cluster before it answered; the func may or may not have run to its end ({outcome.KillDetail})", null, ""),
            KillReason.ProtocolError => new FuncError("WorkerProtocolError",
                $"The worker broke the channel protocol and was killed: {outcome.KillDetail}", null, ""),
            _ => new FuncError("WorkerCrashed", $"The worker running the func ended: {outcome.KillDetail}", null, ""),
        };
        var status = reason == KillReason.Timeout ? FuncRunStatus.Timeout : FuncRunStatus.Failure;
        var cost = reason is KillReason.NoWorker or KillReason.SiloLost ? 0 : request.TimeoutSeconds;
        return new FuncRunResult(status, null, [], cost, error, null, reason);
    }
}
