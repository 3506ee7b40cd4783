using System.Text.Json;
using OrleansFunc.Engine;
using OrleansFunc.Errors;
using OrleansFunc.Hosting;

namespace OrleansFunc.Funcs;

/// <summary>Options a caller may set on a call (a whitelist: nothing else of the call can be overridden).</summary>
public sealed record FuncCallOptions(int? Timeout);

/// <summary>
/// Calls an exported func of published code: finds it through the <see cref="PublishedCodeCache"/>,
/// and runs it on a lane outside every entity grain's turn.
/// </summary>
public sealed class FuncInvoker(PublishedCodeCache codes, IGrainFactory grains, OrleansFuncOptions options)
{
    public async Task<FuncRunResult> CallAsync(
        string funcId, string kwargsJson, FuncCallOptions callOptions, Lane lane, IReadOnlyDictionary<string, string> context)
    {
        var separator = funcId.LastIndexOf('.');
        var scriptId = separator > 0 ? funcId[..separator] : "";
        var funcName = funcId[(separator + 1)..];
        var script = scriptId.Length == 0 ? null : await codes.GetAsync(scriptId);
        var func = script?.Funcs.FirstOrDefault(f => f.Name == funcName)
            ?? throw DffException.NotFound("NoSuchFunc", $"No such Func: '{funcId}'", new { funcId });

        var timeout = callOptions.Timeout ?? DeclaredTimeout(func) ?? options.Engine.Lanes[lane].DefaultTimeoutSeconds;
        var fullContext = new Dictionary<string, string>(context)
        {
            ["funcId"] = funcId,
            ["funcName"] = funcName,
            ["taskId"] = context.GetValueOrDefault("taskId") ?? $"task-{Guid.NewGuid():N}",
        };
        return await grains.GetGrain<IFuncRunnerGrain>(0).RunAsync(new FuncRunRequest(
            lane, "run", scriptId, script!.Code, script.Info.CodeMD5, funcName, kwargsJson, timeout, fullContext));
    }

    /// <summary>The <c>timeout</c> option of <c>@DFF.API</c>, if the func declares one.</summary>
    private static int? DeclaredTimeout(FuncInfo func)
    {
        using var declared = JsonDocument.Parse(func.OptionsJson);
        return declared.RootElement.TryGetProperty("timeout", out var timeout) && timeout.TryGetInt32(out var seconds) ? seconds : null;
    }

    /// <summary>The envelope error of a failed call: 599.31 for a timeout, 599.3 otherwise, with the last traceback line.</summary>
    public static DffException ToCallError(string funcId, FuncRunResult run)
    {
        var error = run.Error ?? new FuncError("Error", "The func failed", null, "");
        var lastLine = error.Traceback.TrimEnd().Split('\n').LastOrDefault() is { Length: > 0 } line ? line : $"{error.Type}: {error.Message}";
        var detail = new { funcId, etype = error.Type, einfoTEXT = lastLine, error.Message, error.Line };
        return run.Status == FuncRunStatus.Timeout
            ? new DffException(ErrorKind.FuncTimeout, null, $"Func '{funcId}' ran past its time limit", detail)
            : new DffException(ErrorKind.FuncFailed, null, $"Func '{funcId}' failed: {lastLine}", detail);
    }
}
