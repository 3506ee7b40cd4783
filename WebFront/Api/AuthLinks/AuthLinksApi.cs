using OrleansFunc.Common;
using System.Text.Json;
using OrleansFunc.AuthLinks;
using OrleansFunc.Funcs;
using OrleansFunc.Errors;
using OrleansFunc.WebFront.Auth;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.AuthLinks;

/// <summary><c>/api/v1/auth-links</c>: managing auth links (SPEC M2).</summary>
public static class AuthLinksApi
{
    /// <summary>
    /// Fields of a link as the API takes them. <c>expireTime</c> is an ISO 8601 time; <c>null</c>
    /// removes it on update, leaving it out keeps it.
    /// </summary>
    public sealed record AuthLinkBody(
        string? Id, string? FuncId, JsonElement? FuncCallKwargs, Throttling? Throttling, JsonElement ExpireTime,
        bool? ShowInDoc, bool? IsDisabled, string? Note, string? ApiAuthId = null, int? TaskRecordLimit = null)
    {
        public AuthLinkFields ToFields()
        {
            if (FuncCallKwargs is { } kwargs && kwargs.ValueKind != JsonValueKind.Object)
            {
                throw DffException.BadRequest("InvalidKwargs", "'funcCallKwargs' must be a JSON object", new { field = "funcCallKwargs" });
            }
            var (expireTime, clearExpireTime) = ExpireTimeField.Read(ExpireTime);
            return new AuthLinkFields(FuncId, FuncCallKwargs?.GetRawText(), Throttling, expireTime, clearExpireTime, ShowInDoc, IsDisabled, Note, ApiAuthId, TaskRecordLimit);
        }
    }

    public sealed record DeletedAuthLink(string Id);

    /// <summary>A link as the API shows it: the kwargs template as a JSON object.</summary>
    public sealed record AuthLinkView(
        string Id, string FuncId, JsonElement FuncCallKwargs, Throttling Throttling, DateTimeOffset? ExpireTime, bool ShowInDoc,
        bool IsDisabled, string Note, DateTimeOffset CreateTime, DateTimeOffset UpdateTime, CallStatistics? RecentCalls, string? ApiAuthId, int? TaskRecordLimit)
    {
        public static AuthLinkView Of(AuthLinkInfo link, CallStatistics? recentCalls = null) => new(link.Id, link.FuncId,
            JsonDocument.Parse(link.FuncCallKwargsJson).RootElement.Clone(), link.Throttling, link.ExpireTime, link.ShowInDoc,
            link.IsDisabled, link.Note, link.CreateTime, link.UpdateTime, recentCalls, link.ApiAuthId, link.TaskRecordLimit);

        /// <summary>The view with the link's recent-call statistics.</summary>
        public static async Task<AuthLinkView> WithStatisticsAsync(AuthLinkInfo link, IGrainFactory grains) =>
            Of(link, await grains.GetGrain<IAuthLinkGrain>(link.Id).GetStatisticsAsync());
    }

    public static RouteGroupBuilder MapAuthLinksApi(this RouteGroupBuilder api)
    {
        var links = api.MapGroup("/auth-links").WithTags("Auth links");
        links.MapGet("/", ListAsync);
        links.MapPost("/", CreateAsync).RecordsOperation(EntityType.AuthLink, "create");
        links.MapGet("/{id}", GetAsync);
        links.MapPatch("/{id}", UpdateAsync).RecordsOperation(EntityType.AuthLink, "modify");
        links.MapDelete("/{id}", DeleteAsync).RecordsOperation(EntityType.AuthLink, "delete");
        links.MapGet("/{id}/examples", ExamplesAsync);
        return api;
    }

    private static async Task<EnvelopeResult<IReadOnlyList<AuthLinkView>>> ListAsync([AsParameters] Paging paging, IGrainFactory grains)
    {
        var page = await grains.DirectoryOf<AuthLinkInfo>().ListAsync(paging.ToRequest());
        var views = await Task.WhenAll(page.Items.Select(link => AuthLinkView.WithStatisticsAsync(link, grains)));
        return Envelopes.Page(new Common.Page<AuthLinkView>(views, page.TotalCount, page.Request));
    }

    private static async Task<EnvelopeResult<AuthLinkView>> CreateAsync(AuthLinkBody body, IGrainFactory grains)
    {
        var id = body.Id ?? CallRules.NewId("auln");
        CallRules.RequireValidId(id);
        return Envelopes.Ok(AuthLinkView.Of(await grains.GetGrain<IAuthLinkGrain>(id).CreateAsync(body.ToFields())));
    }

    private static async Task<EnvelopeResult<AuthLinkView>> GetAsync(string id, IGrainFactory grains) =>
        Envelopes.Ok(await AuthLinkView.WithStatisticsAsync(await grains.GetGrain<IAuthLinkGrain>(id).GetAsync(), grains));

    private static async Task<EnvelopeResult<AuthLinkView>> UpdateAsync(string id, AuthLinkBody body, IGrainFactory grains)
    {
        if (body.Id is not null && body.Id != id)
        {
            throw DffException.BadRequest("IdChange", "An auth link's ID cannot be changed", new { field = "id" });
        }
        return Envelopes.Ok(AuthLinkView.Of(await grains.GetGrain<IAuthLinkGrain>(id).UpdateAsync(body.ToFields())));
    }

    private static async Task<EnvelopeResult<IReadOnlyList<CallExample>>> ExamplesAsync(
        string id, IGrainFactory grains, OrleansFunc.Funcs.PublishedCodeCache codes, HttpRequest request) =>
        await CallExamples.ForLinkAsync(await grains.GetGrain<IAuthLinkGrain>(id).GetAsync(), codes, grains, request, showFixedValues: true);

    private static async Task<EnvelopeResult<DeletedAuthLink>> DeleteAsync(string id, IGrainFactory grains)
    {
        await grains.GetGrain<IAuthLinkGrain>(id).DeleteAsync();
        return Envelopes.Ok(new DeletedAuthLink(id));
    }
}
