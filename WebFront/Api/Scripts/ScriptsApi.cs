using System.Text.Json;
using OrleansFunc.Common;
using OrleansFunc.Engine;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.Records;
using OrleansFunc.Scripts;
using OrleansFunc.WebFront.Api.Calls;
using OrleansFunc.WebFront.Api.Funcs;
using OrleansFunc.WebFront.Auth;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Scripts;

/// <summary><c>/api/v1/scripts</c>: scripts, their drafts, publishing and edit locks.</summary>
public static class ScriptsApi
{
    public sealed record CreateScript(string? Id, string? ScriptSetId, string? Title, string? Description, string? CodeDraft);

    public sealed record UpdateScript(string? Title, string? Description, string? CodeDraft, string? PrevCodeDraftMD5);

    /// <param name="ConfirmBreaking">Publish even if it breaks callers of the script's funcs (without it, 403.21 <c>PublishBreaksCalls</c> lists them).</param>
    /// <param name="RunTests">Run the script's top-level <c>test_*</c> functions after the check: a failing one stops the publish (400.9, with its line).</param>
    public sealed record PublishScript(string? Note, bool ConfirmBreaking = false, bool RunTests = false);

    public sealed record DeletedScript(string Id);

    public sealed record RunDraft(string? FuncName, JsonElement? Kwargs);

    /// <summary>What the editor shows after Run: the return value, print lines, cost and any error.</summary>
    public sealed record DraftRunResult(
        string Status, JsonElement? Result, JsonElement? ResponseControl,
        IReadOnlyList<string> PrintLogs, double Cost, FuncError? Error);

    /// <summary>A script with its code, draft and edit lock, flat.</summary>
    public sealed record ScriptView(
        string Id, string ScriptSetId, string Title, string Description, int PublishVersion, string CodeMD5,
        string CodeDraftMD5, bool HasUnpublishedChanges, DateTimeOffset? PublishTime, DateTimeOffset CreateTime,
        DateTimeOffset UpdateTime, string Code, string CodeDraft, IReadOnlyList<FuncView> Funcs, EditLock? Lock)
    {
        public static ScriptView Of(ScriptDetail detail)
        {
            var i = detail.Info;
            return new ScriptView(i.Id, i.ScriptSetId, i.Title, i.Description, i.PublishVersion, i.CodeMD5, i.CodeDraftMD5,
                i.HasUnpublishedChanges, i.PublishTime, i.CreateTime, i.UpdateTime, detail.Code, detail.CodeDraft, FuncView.Of(detail.Funcs),
                detail.Lock);
        }
    }

    public static RouteGroupBuilder MapScriptsApi(this RouteGroupBuilder api)
    {
        var scripts = api.MapGroup("/scripts").WithTags("Scripts");
        scripts.MapGet("/", ListAsync);
        scripts.MapPost("/", CreateAsync).RecordsOperation(EntityType.Script, "create");
        scripts.MapGet("/{id}", GetAsync);
        scripts.MapPatch("/{id}", UpdateAsync).RecordsOperation(EntityType.Script, "modify");
        scripts.MapDelete("/{id}", DeleteAsync).RecordsOperation(EntityType.Script, "delete");
        scripts.MapPost("/{id}/publish", PublishAsync).RecordsOperation(EntityType.Script, "publish");
        scripts.MapPost("/{id}/revert", RevertAsync).RecordsOperation(EntityType.Script, "revertDraft");
        scripts.MapPost("/{id}/check", CheckDraftAsync);
        scripts.MapPost("/{id}/run", RunDraftAsync).RecordsOperation(EntityType.Script, "run");
        scripts.MapGet("/{id}/publish-history", ListPublishHistoryAsync);
        scripts.MapGet("/{id}/publish-history/{historyId:long}", GetPublishedVersionAsync);
        scripts.MapPost("/{id}/publish-history/{historyId:long}/republish", RepublishAsync).RecordsOperation(EntityType.Script, "republish");
        scripts.MapPost("/{id}/lock", LockAsync);
        scripts.MapDelete("/{id}/lock", UnlockAsync);
        return api;
    }

    private static async Task<EnvelopeResult<IReadOnlyList<ScriptInfo>>> ListAsync(
        string? scriptSetId, [AsParameters] Paging paging, IGrainFactory grains) =>
        Envelopes.Page(await grains.GetGrain<IScriptDirectoryGrain>(IScriptDirectoryGrain.Key).ListAsync(scriptSetId, paging.ToRequest()));

    private static async Task<EnvelopeResult<ScriptInfo>> CreateAsync(CreateScript body, IGrainFactory grains)
    {
        var setId = ScriptRules.RequireValidId(body.Id ?? "");
        if (body.ScriptSetId is not null && body.ScriptSetId != setId)
        {
            throw DffException.BadRequest("InvalidId", $"Script ID '{body.Id}' must start with '{body.ScriptSetId}__'",
                new { field = "id", scriptSetId = body.ScriptSetId });
        }
        var fields = new NewScript(body.Title, body.Description, body.CodeDraft);
        return Envelopes.Ok(await grains.GetGrain<IScriptGrain>(body.Id!).CreateAsync(fields));
    }

    private static async Task<EnvelopeResult<ScriptView>> GetAsync(string id, IGrainFactory grains) =>
        Envelopes.Ok(ScriptView.Of(await grains.GetGrain<IScriptGrain>(id).GetAsync()));

    private static async Task<EnvelopeResult<ScriptInfo>> UpdateAsync(string id, UpdateScript body, IGrainFactory grains, HttpContext http) =>
        Envelopes.Ok(await grains.GetGrain<IScriptGrain>(id).UpdateAsync(
            new ScriptChange(body.Title, body.Description, body.CodeDraft, body.PrevCodeDraftMD5), http.User.GetActor()));

    /// <summary>Deletes a script; 403.21 <c>DeleteBreaksCalls</c> naming the callers of its funcs unless <paramref name="force"/>.</summary>
    private static async Task<EnvelopeResult<DeletedScript>> DeleteAsync(string id, bool? force, IGrainFactory grains, HttpContext http, FuncCallers callers)
    {
        var script = grains.GetGrain<IScriptGrain>(id);
        await script.GetAsync();
        if (force != true)
        {
            FuncCallers.RequireNoneBroken(await callers.BrokenByDeleteAsync(new HashSet<string> { id }), "DeleteBreaksCalls", $"Deleting {id}");
        }
        await script.DeleteAsync(http.User.GetActor());
        return Envelopes.Ok(new DeletedScript(id));
    }

    /// <summary>What a publish produced, with the funcs the check found.</summary>
    /// <param name="Warnings">What the script publishes with but should know (a <c>queue</c> that names no worker pool).</param>
    public sealed record PublishView(string Id, int PublishVersion, string CodeMD5, DateTimeOffset PublishTime, IReadOnlyList<FuncView> Funcs,
        IReadOnlyList<string> Warnings);

    private static async Task<EnvelopeResult<PublishView>> PublishAsync(
        string id, PublishScript? body, ScriptExecution execution, HttpContext http)
    {
        var published = await execution.PublishAsync(id, body?.Note, http.User.GetActor(), body?.ConfirmBreaking ?? false, body?.RunTests ?? false);
        return Envelopes.Ok(new PublishView(published.Id, published.PublishVersion, published.CodeMD5, published.PublishTime,
            FuncView.Of(published.Funcs), execution.PoolWarnings(published.Funcs)));
    }

    /// <summary>The publish check of the saved draft, as the editor marks it when the user saves.</summary>
    /// <param name="Ok">Whether a publish would pass the check.</param>
    /// <param name="Error">What would stop the publish, at its line when known.</param>
    /// <param name="Warnings">What publishes but deserves a look: a DataFlux Func 1.x name or option that behaves otherwise here, a queue that names no worker pool.</param>
    /// <param name="Breaks">The callers a publish of this draft would break (a publish then needs a confirmation).</param>
    public sealed record DraftCheckView(bool Ok, CheckMark? Error, IReadOnlyList<FuncView> Funcs, IReadOnlyList<CheckMark> Warnings,
        IReadOnlyList<BrokenCaller> Breaks);

    /// <summary>One thing the check says about a line of the code (none when it is about the whole script).</summary>
    public sealed record CheckMark(int? Line, string Message, string? Type = null);

    /// <summary>
    /// Runs the publish check on the saved draft and answers what it found, without publishing or recording anything:
    /// a failed check is an answer here, not an error.
    /// </summary>
    private static async Task<EnvelopeResult<DraftCheckView>> CheckDraftAsync(string id, IGrainFactory grains, ScriptExecution execution, FuncCallers callers)
    {
        var draft = await grains.GetGrain<IScriptGrain>(id).GetAsync();
        var check = await execution.TryCheckAsync(id, draft.CodeDraft);
        var breaks = check.Error is null ? await callers.BrokenByPublishAsync(id, draft.Funcs, check.Funcs) : [];
        // A break is marked at the func it calls, in the draft or, for a func the draft drops, in the published code's place.
        var lines = check.Funcs.Concat(draft.Funcs).GroupBy(f => f.Id).ToDictionary(g => g.Key, g => (int?)g.First().Line);
        var warnings = check.Notes.Select(n => new CheckMark(n.Line, n.Message))
            .Concat(execution.PoolWarningsByFunc(check.Funcs).Select(w => new CheckMark(w.Func.Line, w.Warning)))
            .Concat(breaks.Select(b => new CheckMark(lines.GetValueOrDefault(b.FuncId), b.Describe())))
            .ToList();
        var error = check.Error is { } failed ? new CheckMark(failed.Line, failed.Message, failed.Type) : null;
        return Envelopes.Ok(new DraftCheckView(error is null, error, FuncView.Of(check.Funcs), warnings, breaks));
    }

    private static async Task<EnvelopeResult<DraftRunResult>> RunDraftAsync(string id, RunDraft body, HttpRequest request, ScriptExecution execution)
    {
        if (string.IsNullOrEmpty(body.FuncName) || !FieldRules.IdentifierPattern().IsMatch(body.FuncName) || body.FuncName.StartsWith('_'))
        {
            throw DffException.BadRequest("InvalidFuncName",
                "'funcName' must name a top-level function of the script that does not start with '_'", new { field = "funcName" });
        }
        var run = await execution.RunDraftAsync(id, body.FuncName, CallArguments.Kwargs(body.Kwargs), HttpRequestContext.Describe(request, HttpRequestContext.BoundBody(body)));
        return Envelopes.Ok(new DraftRunResult(run.Status, ParseOrNull(run.ResultJson), ParseOrNull(run.ResponseControlJson),
            run.PrintLogs, run.Cost, run.Error));
    }

    private static async Task<EnvelopeResult<ScriptInfo>> RevertAsync(string id, IGrainFactory grains, HttpContext http) =>
        Envelopes.Ok(await grains.GetGrain<IScriptGrain>(id).RevertDraftAsync(http.User.GetActor()));

    private static async Task<EnvelopeResult<IReadOnlyList<PublishRecord>>> ListPublishHistoryAsync(
        string id, [AsParameters] Paging paging, IGrainFactory grains, PublishHistoryStore history)
    {
        await grains.GetGrain<IScriptGrain>(id).GetAsync();
        return Envelopes.Page(await history.ListAsync(id, paging.ToRequest()));
    }

    private static async Task<PublishedVersion> PublishedVersionAsync(string id, long historyId, IGrainFactory grains, PublishHistoryStore history)
    {
        await grains.GetGrain<IScriptGrain>(id).GetAsync();
        return await history.GetAsync(id, historyId)
            ?? throw DffException.NotFound("PublishNotFound", $"Script {id} has no publish {historyId}", new { id, historyId });
    }

    private static async Task<EnvelopeResult<PublishedVersion>> GetPublishedVersionAsync(
        string id, long historyId, IGrainFactory grains, PublishHistoryStore history) =>
        Envelopes.Ok(await PublishedVersionAsync(id, historyId, grains, history));

    /// <summary>
    /// Publishes an earlier version again: its code becomes the draft (under the same edit lock and draft check as a save)
    /// and goes through the publish check, as a new version whose note says which one it repeats.
    /// </summary>
    private static async Task<EnvelopeResult<PublishView>> RepublishAsync(
        string id, long historyId, PublishScript? body, IGrainFactory grains, PublishHistoryStore history, ScriptExecution execution, HttpContext http)
    {
        var version = await PublishedVersionAsync(id, historyId, grains, history);
        var script = grains.GetGrain<IScriptGrain>(id);
        var actor = http.User.GetActor();
        var current = await script.GetAsync();
        await script.UpdateAsync(new ScriptChange(null, null, version.Code, current.Info.CodeDraftMD5), actor);
        var note = $"Version {version.PublishVersion} published again" + (string.IsNullOrWhiteSpace(body?.Note) ? "" : $": {body.Note}");
        var published = await execution.PublishAsync(id, note[..Math.Min(note.Length, FieldRules.MaxDescriptionLength)], actor,
            body?.ConfirmBreaking ?? false, body?.RunTests ?? false);
        return Envelopes.Ok(new PublishView(published.Id, published.PublishVersion, published.CodeMD5, published.PublishTime,
            FuncView.Of(published.Funcs), execution.PoolWarnings(published.Funcs)));
    }

    private static async Task<EnvelopeResult<EditLock>> LockAsync(string id, IGrainFactory grains, HttpContext http) =>
        Envelopes.Ok(await grains.GetGrain<IScriptGrain>(id).AcquireLockAsync(http.User.GetActor()));

    private static async Task<EnvelopeResult<object?>> UnlockAsync(string id, IGrainFactory grains, HttpContext http)
    {
        await grains.GetGrain<IScriptGrain>(id).ReleaseLockAsync(http.User.GetActor());
        return Envelopes.Ok<object?>(null);
    }

    private static JsonElement? ParseOrNull(string? json) =>
        json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}
