using OrleansFunc.Records;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Records;

/// <summary><c>/api/v1/operation-records</c>: the audit trail, newest first.</summary>
public static class OperationRecordsApi
{
    public static RouteGroupBuilder MapOperationRecordsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/operation-records", ListAsync).WithTags("Operation records");
        return api;
    }

    private static async Task<EnvelopeResult<IReadOnlyList<OperationRecord>>> ListAsync(
        string? entityType, string? entityId, [AsParameters] Paging paging, OperationRecordStore records, CancellationToken cancellationToken) =>
        Envelopes.Page(await records.ListAsync(entityType, entityId, paging.ToRequest(), cancellationToken));
}
