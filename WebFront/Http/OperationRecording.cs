using System.Security.Claims;
using OrleansFunc.Records;
using OrleansFunc.WebFront.Auth;

namespace OrleansFunc.WebFront.Http;

/// <summary>
/// Writes an operation record (SPEC M7) after a change succeeds and before it is acknowledged.
/// The entity ID is the route's <c>{id}</c>, else the <c>Id</c> of the returned data.
/// </summary>
public static class OperationRecording
{
    /// <summary>Marks a recorded route, so that its request body is kept readable for the record's summary.</summary>
    private sealed record RecordedOperation;

    public static RouteHandlerBuilder RecordsOperation(this RouteHandlerBuilder route, string entityType, string action) =>
        route.WithMetadata(new RecordedOperation()).AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var http = context.HttpContext;
            var entityId = http.Request.RouteValues["id"] as string ?? IdOf(result);
            await RecordAsync(http, http.User, entityType, action, entityId);
            return result;
        });

    /// <summary>
    /// Middleware: buffers the body of requests to recorded routes (binding reads it before the
    /// recording filter runs); other routes, the public call routes above all, are left alone.
    /// </summary>
    public static Task KeepRecordedBodiesAsync(HttpContext http, Func<Task> next)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<RecordedOperation>() is not null)
        {
            http.Request.EnableBuffering();
        }
        return next();
    }

    /// <summary>Records a change made by a user who is not (yet) the request's principal, such as a sign-in.</summary>
    public static async Task RecordAsync(HttpContext http, ClaimsPrincipal user, string entityType, string action, string? entityId)
    {
        var actor = user.TryGetActor();
        var stamp = RequestStamp.Of(http);
        var record = new OperationRecord(0, stamp.ReqTime, actor?.UserId, actor?.Username, action, entityType, entityId,
            http.Request.Method, http.Request.Path, StatusCodes.Status200OK,
            http.Connection.RemoteIpAddress?.ToString(), stamp.TraceId, await BodySummary.OfAsync(http.Request));
        await http.RequestServices.GetRequiredService<OperationRecordStore>().AppendAsync(record, http.RequestAborted);
    }

    private static string? IdOf(object? result)
    {
        var data = result?.GetType().GetProperty("Data")?.GetValue(result);
        return data?.GetType().GetProperty("Id")?.GetValue(data) as string;
    }
}
