using System.Text.Json;
using OrleansFunc.Common;
using OrleansFunc.Engine;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.Hosting;

namespace OrleansFunc.Scripts;

/// <summary>
/// Publishing and editor runs: the script's code goes to a worker on the debug lane, outside the
/// script grain's turn, so a slow check never blocks other callers of the script.
/// </summary>
public sealed class ScriptExecution(IGrainFactory grains, FuncRunner runner, AutoRuns autoRuns, OrleansFuncOptions options, FuncCallers callers)
{
    /// <summary>What the publish check found: an error that stops a publish, or the funcs and the notes on the code.</summary>
    public sealed record DraftCheck(FuncError? Error, IReadOnlyList<string> PrintLogs, IReadOnlyList<FuncInfo> Funcs,
        IReadOnlyList<Packages.MigrationNote> Notes);

    private int DebugTimeoutSeconds => options.Engine.Lanes[Lane.Debug].DefaultTimeoutSeconds;

    /// <summary>
    /// Checks the draft in a worker, then publishes it with its funcs; 400.9 with the first bad line if the check fails, and
    /// 403.21 naming the auth links, batches, crontab configs and topic handlers it would break unless
    /// <paramref name="confirmBreaking"/>.
    /// </summary>
    public async Task<PublishResult> PublishAsync(string scriptId, string? note, Actor actor, bool confirmBreaking = false, bool runTests = false)
    {
        var script = grains.GetGrain<IScriptGrain>(scriptId);
        var detail = await script.GetAsync();
        var funcs = (await ReviewAsync(scriptId, detail.CodeDraft, runTests)).Funcs;
        if (!confirmBreaking)
        {
            FuncCallers.RequireNoneBroken(await callers.BrokenByPublishAsync(scriptId, detail.Funcs, funcs), "PublishBreaksCalls", $"Publishing {scriptId}");
        }
        var published = await script.PublishAsync(new PublishRequest(note, detail.Info.CodeDraftMD5, funcs), actor);
        // After the script's turn (the snapshot asks every script, this one too).
        var pointNote = $"Published {scriptId} (version {published.PublishVersion}){(string.IsNullOrWhiteSpace(note) ? "" : ": " + note)}";
        await grains.GetGrain<Library.ILibraryGrain>(Library.ILibraryGrain.Key).CreateRestorePointAsync(Library.RestorePointKinds.Publish,
            pointNote[..Math.Min(pointNote.Length, FieldRules.MaxDescriptionLength)], actor);
        await autoRuns.QueueAfterPublishAsync(published.Funcs);
        await AutoRuns.ScheduleCrontabsAsync(grains, published.Funcs);
        return published;
    }

    /// <summary>
    /// What a publish should say about funcs whose <c>queue</c> names no worker pool of this installation: they run on
    /// their origin's lane (DataFlux Func 1.x refused an unknown queue; here the script still publishes).
    /// </summary>
    public IReadOnlyList<string> PoolWarnings(IEnumerable<FuncInfo> funcs) => PoolWarningsByFunc(funcs).Select(w => w.Warning).ToList();

    /// <summary><see cref="PoolWarnings"/>, each with the func it is about.</summary>
    public IEnumerable<(FuncInfo Func, string Warning)> PoolWarningsByFunc(IEnumerable<FuncInfo> funcs) =>
        funcs.Select(f => (Func: f, Queue: QueueOf(f))).Where(f => f.Queue is not null && options.Engine.PoolForQueue(f.Queue) is null)
            .Select(f => (f.Func, $"{f.Func.Name}: queue {f.Queue} names no worker pool of this installation (OrleansFunc:Engine:Pools); it runs on its origin's lane"));

    private static string? QueueOf(FuncInfo func)
    {
        using var options = JsonDocument.Parse(func.OptionsJson);
        return PublishedCodeCache.QueueOption(options.RootElement);
    }

    /// <summary>The publish check of <paramref name="code"/> in a worker: its funcs, or 400.9 with the first bad line.</summary>
    public async Task<IReadOnlyList<FuncInfo>> CheckAsync(string scriptId, string code) => (await ReviewAsync(scriptId, code)).Funcs;

    /// <summary>The publish check, with what the code of a DataFlux Func 1.x script will find otherwise here (an import's report).</summary>
    public async Task<(IReadOnlyList<FuncInfo> Funcs, IReadOnlyList<Packages.MigrationNote> Notes)> ReviewAsync(
        string scriptId, string code, bool runTests = false)
    {
        var check = await TryCheckAsync(scriptId, code, runTests);
        if (check.Error is { } error)
        {
            var where = error.Line is { } line ? $" at line {line}" : "";
            throw new DffException(ErrorKind.PublishFailed, null, $"{error.Type}{where}: {error.Message}",
                new { error.Type, error.Message, error.Line, error.Traceback, check.PrintLogs });
        }
        return (check.Funcs, check.Notes);
    }

    /// <summary>
    /// The publish check as an outcome rather than a refusal (the editor marks it as the user saves); with
    /// <paramref name="runTests"/>, the script's <c>test_*</c> functions run after it and the first failing one is the error.
    /// </summary>
    public async Task<DraftCheck> TryCheckAsync(string scriptId, string code, bool runTests = false)
    {
        var check = await runner.RunAsync(new FuncRunRequest(Lane.Debug, runTests ? RunMode.Test : RunMode.Check, scriptId, code,
            Md5.Of(code), null, "{}", DebugTimeoutSeconds, RunContext.Check(scriptId)));
        if (!check.IsSuccess)
        {
            return new DraftCheck(check.Error ?? new FuncError("Error", "The publish check failed", null, ""), check.PrintLogs, [], []);
        }
        var funcs = ParseFuncs(scriptId, check.FuncsJson);
        return new DraftCheck(InvalidCrontab(funcs), check.PrintLogs, funcs, ParseNotes(scriptId, check.NotesJson));
    }

    /// <summary>Runs a top-level function of the draft with keyword arguments (the editor's Run).</summary>
    /// <param name="httpRequestJson">The editor's request, as the run sees <c>_DFF_HTTP_REQUEST</c>.</param>
    public async Task<FuncRunResult> RunDraftAsync(string scriptId, string funcName, string kwargsJson, string? httpRequestJson = null)
    {
        var detail = await grains.GetGrain<IScriptGrain>(scriptId).GetAsync();
        var context = new RunContext(TaskOrigin.Debug, scriptId)
        {
            TaskId = $"task-{Guid.NewGuid():N}", FuncId = $"{scriptId}.{funcName}", FuncName = funcName, HttpRequestJson = httpRequestJson,
        };
        return await runner.RunAsync(new FuncRunRequest(TaskOrigin.Debug.Describe().Lane, RunMode.Run, scriptId, detail.CodeDraft, detail.Info.CodeDraftMD5,
            funcName, kwargsJson, DebugTimeoutSeconds, context));
    }

    /// <summary>
    /// The worker checks that <c>fixed_crontab</c> (and an auto-run func's crontab) has 5 fields; the cron library decides
    /// whether they mean anything.
    /// </summary>
    private static FuncError? InvalidCrontab(IEnumerable<FuncInfo> funcs)
    {
        foreach (var func in funcs)
        {
            using var options = JsonDocument.Parse(func.OptionsJson);
            var expressions = new[]
            {
                ("fixed_crontab", options.RootElement.TryGetProperty("fixed_crontab", out var fixedCrontab) ? fixedCrontab.GetString() : null),
                ("integration_config crontab", AutoRuns.CrontabOf(func)),
            };
            foreach (var (field, expression) in expressions.Where(e => e.Item2 is not null))
            {
                try
                {
                    Crontabs.CrontabExpressions.Parse(expression, field);
                }
                catch (DffException invalid)
                {
                    return new FuncError("ValueError", $"{field}: {invalid.Message}", func.Line, "");
                }
            }
        }
        return null;
    }

    private static List<Packages.MigrationNote> ParseNotes(string scriptId, string? notesJson)
    {
        using var document = JsonDocument.Parse(notesJson ?? "[]");
        return document.RootElement.EnumerateArray().Select(n => new Packages.MigrationNote(scriptId,
            n.GetProperty("line").ValueKind == JsonValueKind.Number ? n.GetProperty("line").GetInt32() : null,
            n.GetProperty("name").GetString() ?? "", n.GetProperty("message").GetString() ?? "")).ToList();
    }

    private static List<FuncInfo> ParseFuncs(string scriptId, string? funcsJson)
    {
        using var document = JsonDocument.Parse(funcsJson ?? "[]");
        return document.RootElement.EnumerateArray().Select(f =>
        {
            var name = f.GetProperty("name").GetString()!;
            return new FuncInfo(
                $"{scriptId}.{name}",
                name,
                f.GetProperty("title").GetString(),
                f.GetProperty("description").GetString(),
                f.GetProperty("definition").GetString()!,
                f.GetProperty("args").EnumerateArray().Select(a => a.GetString()!).ToList(),
                f.GetProperty("kwargs").GetRawText(),
                f.GetProperty("category").GetString()!,
                f.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToList(),
                f.GetProperty("options").GetRawText(),
                f.GetProperty("line").GetInt32());
        }).ToList();
    }
}
