using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using OrleansFunc.Engine;
using OrleansFunc.Funcs;
using OrleansFunc.WebFront.Api.Calls;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Funcs;

/// <summary><c>GET /api/v1/func-list</c>: the func docs for signed-in users (SPEC M9).</summary>
public static class FuncsApi
{
    /// <summary>Query of the func docs: comma lists for categories (any of) and tags (all of).</summary>
    public sealed record FuncListQuery(
        [FromQuery(Name = "funcId")] string? FuncId, [FromQuery(Name = "funcName")] string? FuncName,
        [FromQuery(Name = "funcCategory")] string? FuncCategory, [FromQuery(Name = "funcTags")] string? FuncTags,
        [FromQuery(Name = "scriptId")] string? ScriptId, [FromQuery(Name = "scriptSetId")] string? ScriptSetId)
    {
        public FuncFilter ToFilter(bool includeHidden = false) =>
            new(FuncId, FuncName, SplitList(FuncCategory), SplitList(FuncTags), ScriptId, ScriptSetId, includeHidden);

        private static List<string>? SplitList(string? list) =>
            string.IsNullOrWhiteSpace(list) ? null : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }

    /// <summary>Body of a direct call: kwargs and options as objects, or as JSON strings (from forms).</summary>
    public sealed record FuncCall(JsonElement? Kwargs, JsonElement? Options);

    /// <summary>A direct call's answer: the func's return value.</summary>
    public sealed record FuncCallResult(JsonElement? Result);

    public static RouteGroupBuilder MapFuncsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/func-list", ListAsync).WithTags("Funcs");
        api.MapGet("/func/{funcId}", CallFromQueryAsync).WithTags("Funcs");
        api.MapPost("/func/{funcId}", CallAsync).WithTags("Funcs");
        return api;
    }

    private static Task<EnvelopeResult<FuncCallResult>> CallFromQueryAsync(
        string funcId, string? kwargs, string? options, HttpRequest request, FuncInvoker invoker) =>
        InvokeAsync(funcId, CallArguments.Kwargs(kwargs), CallArguments.Options(options, TaskOrigin.Direct), request, null, invoker);

    private static Task<EnvelopeResult<FuncCallResult>> CallAsync(string funcId, FuncCall? body, HttpRequest request, FuncInvoker invoker) =>
        InvokeAsync(funcId, CallArguments.Kwargs(body?.Kwargs), CallArguments.Options(body?.Options, TaskOrigin.Direct), request,
            HttpRequestContext.BoundBody(body), invoker);

    private static async Task<EnvelopeResult<FuncCallResult>> InvokeAsync(
        string funcId, string kwargsJson, CallerOptions options, HttpRequest request, string? bodyJson, FuncInvoker invoker)
    {
        var (run, _) = await invoker.CallAsync(funcId, kwargsJson, options.Run, TaskOrigin.Direct.Describe().Lane,
            new RunContext(TaskOrigin.Direct, funcId) { HttpRequestJson = HttpRequestContext.Describe(request, bodyJson) });
        if (!run.IsSuccess)
        {
            throw FuncInvoker.ToCallError(funcId, run);
        }
        return Envelopes.Ok(new FuncCallResult(FuncResult.Value(run, options)));
    }

    private static async Task<EnvelopeResult<IReadOnlyList<FuncView>>> ListAsync(
        [AsParameters] FuncListQuery query, [AsParameters] Paging paging, IGrainFactory grains)
    {
        var page = await grains.GetGrain<IFuncDirectoryGrain>(IFuncDirectoryGrain.Key).ListAsync(query.ToFilter(), paging.ToRequest());
        return Envelopes.Page(page.Map(FuncView.Of));
    }
}
