namespace OrleansFunc.Engine;

/// <summary>What to run: a script's code (draft or published), in a mode, on a lane.</summary>
/// <param name="ScriptId">The script of a <see cref="RunMode.Run"/> or <see cref="RunMode.Check"/>; empty for the data source modes.</param>
/// <param name="KwargsJson">A JSON object of keyword arguments.</param>
/// <param name="Context">Why it runs: what the script sees as <c>_DFF_*</c> variables.</param>
[GenerateSerializer, Immutable, Alias("of.FuncRunRequest")]
public sealed record FuncRunRequest(
    Lane Lane,
    RunMode Mode,
    string ScriptId,
    string Code,
    string CodeMD5,
    string? FuncName,
    string KwargsJson,
    int TimeoutSeconds,
    RunContext Context,
    string? Pool = null);

/// <summary>
/// How a run ended. <see cref="ResultJson"/> is set on success of a <c>run</c>, <see cref="FuncsJson"/> and
/// <see cref="NotesJson"/> (what a 1.x script will find otherwise here) of a <c>check</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("of.FuncRunResult")]
public sealed record FuncRunResult(
    string Status,
    string? ResultJson,
    IReadOnlyList<string> PrintLogs,
    double Cost,
    FuncError? Error,
    string? FuncsJson,
    KillReason? KillReason,
    string? ResponseControlJson = null,
    string? NotesJson = null)
{
    public bool IsSuccess => Status == FuncRunStatus.Success;
}

/// <summary>An error raised by user code (or the engine), as the caller sees it.</summary>
[GenerateSerializer, Immutable, Alias("of.FuncError")]
public sealed record FuncError(string Type, string Message, int? Line, string Traceback);

public static class FuncRunStatus
{
    public const string Success = "success";
    public const string Failure = "failure";
    public const string Timeout = "timeout";
}
