using OrleansFunc.ApiAuths;
using System.Text.Json;
using OrleansFunc.AuthLinks;
using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.WebFront.Api.Funcs;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.AuthLinks;

/// <summary>
/// <c>GET /api/v1/auth-link-func-list</c> (public): the links shown in the docs with their funcs,
/// item fields as in DataFlux Func 1.x (SPEC M9), and the call examples of each listed link for the
/// auth-link docs page.
/// </summary>
public static class AuthLinkDocsApi
{
    public sealed record AuthLinkDoc(
        string Url, string Id, string FuncId, JsonElement FuncCallKwargsJSON, DateTimeOffset? ExpireTime, Throttling ThrottlingJSON,
        bool IsDisabled, string FuncName, string? FuncTitle, string? FuncDescription, string FuncDefinition,
        IReadOnlyList<string> FuncArgsJSON, JsonElement FuncKwargsJSON, string FuncCategory, string? FuncIntegration,
        IReadOnlyList<string> FuncTagsJSON, ApiAuthType? ApiAuthType);

    public static IEndpointRouteBuilder MapAuthLinkDocsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/auth-link-func-list", ListAsync).WithTags("Auth link calls");
        app.MapGet("/api/v1/auth-link-func-list/{id}/examples", ExamplesAsync).WithTags("Auth link calls");
        return app;
    }

    private static async Task<EnvelopeResult<IReadOnlyList<AuthLinkDoc>>> ListAsync(
        [AsParameters] FuncsApi.FuncListQuery query, [AsParameters] Paging paging, IGrainFactory grains)
    {
        var everything = new PageRequest(1, int.MaxValue);
        var funcs = (await grains.GetGrain<IFuncDirectoryGrain>(IFuncDirectoryGrain.Key).ListAsync(query.ToFilter(includeHidden: true), everything))
            .Items.ToDictionary(f => f.Id);
        var links = (await grains.DirectoryOf<AuthLinkInfo>().ListAsync(everything)).Items;
        // Which links need credentials, and of which kind (never the credentials).
        var authTypes = (await grains.DirectoryOf<ApiAuthInfo>().ListAsync(everything)).Items.ToDictionary(a => a.Id, a => a.Type);
        var docs = links
            .Where(link => link.ShowInDoc && funcs.ContainsKey(link.FuncId))
            .Select(link => ToDoc(link, funcs[link.FuncId], link.ApiAuthId is { } auth && authTypes.TryGetValue(auth, out var type) ? type : null))
            .ToList();
        return Envelopes.Page(Page<AuthLinkDoc>.Of(docs, paging.ToRequest()));
    }

    /// <summary>The call examples of a link shown in the docs (an API auth's fixed values as placeholders); 404 for any other link, as if it did not exist.</summary>
    private static async Task<EnvelopeResult<IReadOnlyList<CallExample>>> ExamplesAsync(
        string id, IGrainFactory grains, PublishedCodeCache codes, HttpRequest request)
    {
        var link = await grains.GetGrain<IAuthLinkGrain>(id).GetAsync();
        if (!link.ShowInDoc)
        {
            throw DffException.NotFound("NoSuchAuthLink", $"No auth link '{id}' in the docs", new { id });
        }
        return await CallExamples.ForLinkAsync(link, codes, grains, request, showFixedValues: false);
    }

    private static AuthLinkDoc ToDoc(AuthLinkInfo link, FuncInfo func, ApiAuthType? authType) => new(
        $"/api/v1/al/{link.Id}", link.Id, link.FuncId, Json(link.FuncCallKwargsJson), link.ExpireTime, link.Throttling, link.IsDisabled,
        func.Name, func.Title, func.Description, func.Definition, func.Args, Json(func.KwargsJson), func.Category, null, func.Tags, authType);

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
