using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Records;
using OrleansFunc.WebFront.Api.Users;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Records;

/// <summary><c>/api/v1/request-log</c>: the slow and failed requests of every WebFront, newest first, for administrators.</summary>
public static class RequestLogApi
{
    public static RouteGroupBuilder MapRequestLogApi(this RouteGroupBuilder api)
    {
        api.MapGet("/request-log", ListAsync).WithTags("Request log").RequireAuthorization(UsersApi.AdminPolicy);
        return api;
    }

    /// <summary><c>kind</c>: <c>all</c> (default), <c>slow</c> or <c>failed</c>.</summary>
    private static async Task<EnvelopeResult<IReadOnlyList<RequestLogEntry>>> ListAsync(
        string? kind, [AsParameters] Paging paging, RequestLogStore log, CancellationToken cancellationToken)
    {
        var shown = RequestLogKind.All;
        if (kind is not null && !WireNames<RequestLogKind>.TryParse(kind, out shown))
        {
            throw DffException.BadRequest("InvalidKind", $"No such kind: '{kind}' (one of {string.Join(", ", WireNames<RequestLogKind>.All)})");
        }
        return Envelopes.Page(await log.ListAsync(shown, paging.ToRequest(), cancellationToken));
    }
}
