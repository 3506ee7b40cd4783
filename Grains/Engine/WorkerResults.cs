using System.Text.Json;

namespace OrleansFunc.Engine;

/// <summary>Reads the worker's result JSON, and describes runs that ended with a killed worker.</summary>
public static class WorkerResults
{
    public static FuncRunResult Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        FuncError? error = null;
        if (root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object)
        {
            error = new FuncError(
                e.GetProperty("type").GetString() ?? "Error",
                e.GetProperty("message").GetString() ?? "",
                e.TryGetProperty("line", out var line) && line.ValueKind == JsonValueKind.Number ? line.GetInt32() : null,
                e.TryGetProperty("traceback", out var traceback) ? traceback.GetString() ?? "" : "");
        }
        return new FuncRunResult(
            root.GetProperty("status").GetString() ?? FuncRunStatus.Failure,
            root.TryGetProperty("result", out var result) ? result.GetRawText() : null,
            root.TryGetProperty("printLogs", out var logs) ? logs.EnumerateArray().Select(l => l.GetString() ?? "").ToList() : [],
            root.TryGetProperty("cost", out var cost) ? cost.GetDouble() : 0,
            error,
            root.TryGetProperty("funcs", out var funcs) ? funcs.GetRawText() : null,
            null,
            root.TryGetProperty("responseControl", out var control) ? control.GetRawText() : null);
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
            _ => new FuncError("WorkerCrashed", $"The worker running the func ended: {outcome.KillDetail}", null, ""),
        };
        var status = reason == KillReason.Timeout ? FuncRunStatus.Timeout : FuncRunStatus.Failure;
        var cost = reason == KillReason.NoWorker ? 0 : request.TimeoutSeconds;
        return new FuncRunResult(status, null, [], cost, error, null, reason);
    }
}
