using OrleansFunc.Records;
using OrleansFunc.WebFront.Api.Users;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Records;

/// <summary><c>/api/v1/operation-records</c>: the audit trail, newest first, for administrators (members get 403.15).</summary>
public static class OperationRecordsApi
{
    public static RouteGroupBuilder MapOperationRecordsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/operation-records", ListAsync).WithTags("Operation records").RequireAuthorization(UsersApi.AdminPolicy);
        return api;
    }

    /// <summary>Filters: <c>user</c> (ID or username), <c>entityType</c>, <c>entityId</c>, and the time range [<c>since</c>, <c>until</c>).</summary>
    private static async Task<EnvelopeResult<IReadOnlyList<OperationRecord>>> ListAsync(
        string? user, string? entityType, string? entityId, DateTimeOffset? since, DateTimeOffset? until, [AsParameters] Paging paging,
        OperationRecordStore records, CancellationToken cancellationToken) =>
        Envelopes.Page(await records.ListAsync(new OperationRecordFilter(user, entityType, entityId, since, until), paging.ToRequest(), cancellationToken));
}
