using OrleansFunc.Funcs;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Funcs;

/// <summary><c>GET /api/v1/func-list</c>: the func docs for signed-in users (SPEC M9).</summary>
public static class FuncsApi
{
    /// <summary>Query of the func docs: comma lists for categories (any of) and tags (all of).</summary>
    public sealed record FuncListQuery(string? FuncId, string? FuncName, string? FuncCategory, string? FuncTags, string? ScriptId, string? ScriptSetId)
    {
        public FuncFilter ToFilter() => new(FuncId, FuncName, SplitList(FuncCategory), SplitList(FuncTags), ScriptId, ScriptSetId);

        private static List<string>? SplitList(string? list) =>
            string.IsNullOrWhiteSpace(list) ? null : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }

    public static RouteGroupBuilder MapFuncsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/func-list", ListAsync).WithTags("Funcs");
        return api;
    }

    private static async Task<EnvelopeResult<IReadOnlyList<FuncInfo>>> ListAsync(
        [AsParameters] FuncListQuery query, [AsParameters] Paging paging, IGrainFactory grains) =>
        Envelopes.Page(await grains.GetGrain<IFuncDirectoryGrain>(IFuncDirectoryGrain.Key).ListAsync(query.ToFilter(), paging.ToRequest()));
}
