using System.Data.Common;
using System.Security.Claims;
using OrleansFunc.Common;
using OrleansFunc.Records;
using OrleansFunc.WebFront.Auth;

namespace OrleansFunc.WebFront.Http;

/// <summary>
/// Writes an operation record (SPEC M7) after a change succeeds and before it is acknowledged, and
/// one for a change a signed-in user was refused, with the error it was answered. The entity ID is
/// the route's <c>{id}</c>, else the <c>Id</c> of the returned data.
/// </summary>
public static partial class OperationRecording
{
    /// <summary>Marks a recorded route with what it changes, so that a refusal on it is recorded as that change.</summary>
    private sealed record RecordedOperation(EntityType EntityType, string Action);

    /// <summary>Set on a request whose success is recorded, so that nothing records it again.</summary>
    private sealed record SuccessRecorded;

    public static RouteHandlerBuilder RecordsOperation(this RouteHandlerBuilder route, EntityType entityType, string action) =>
        route.WithMetadata(new RecordedOperation(entityType, action)).AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var http = context.HttpContext;
            await RecordAsync(http, http.User, entityType, action, RouteId(http) ?? IdOf(result));
            http.Features.Set(new SuccessRecorded());
            return result;
        });

    /// <summary>
    /// Middleware around recorded routes: buffers the body (binding reads it before the recording
    /// filter runs) and, once the request is answered with an error, records the refusal. Other
    /// routes, the public call routes above all, are left alone; so are anonymous callers, whose
    /// refusals would otherwise push real records out of the bounded trail.
    /// </summary>
    public static async Task RecordRefusalsAsync(HttpContext http, Func<Task> next)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<RecordedOperation>() is not { } operation)
        {
            await next();
            return;
        }
        http.Request.EnableBuffering();
        var entityId = RouteId(http); // read first: the exception handler clears the route values of a failed request
        await next();
        if (http.Response.StatusCode < StatusCodes.Status400BadRequest || http.Features.Get<SuccessRecorded>() is not null
            || http.User.TryGetActor() is null)
        {
            return;
        }
        try
        {
            await AppendAsync(http, http.User, operation.EntityType.WireName(), operation.Action, entityId, http.Response.StatusCode,
                http.Features.Get<AnsweredError>());
        }
        catch (DbException failed)
        {
            // The caller already has its answer; a lost audit row is logged loudly instead of breaking the response.
            LogRefusalNotRecorded(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OperationRecording)),
                failed, http.Request.Method, http.Request.Path);
        }
    }

    /// <summary>
    /// Records a change made by a user who is not (yet) the request's principal, such as a sign-in, or one whose body is
    /// not buffered (a streamed upload: <paramref name="bodySummary"/> says what it carried).
    /// </summary>
    public static Task RecordAsync(
        HttpContext http, ClaimsPrincipal user, EntityType entityType, string action, string? entityId, string? bodySummary = null) =>
        AppendAsync(http, user, entityType.WireName(), action, entityId, StatusCodes.Status200OK, null, bodySummary);

    private static async Task AppendAsync(
        HttpContext http, ClaimsPrincipal user, string entityType, string action, string? entityId, int status, AnsweredError? error,
        string? bodySummary = null)
    {
        var actor = user.TryGetActor();
        var stamp = RequestStamp.Of(http);
        var record = new OperationRecord(0, stamp.ReqTime, actor?.UserId, actor?.Username, action, entityType, entityId,
            http.Request.Method, http.Request.Path, status, http.Connection.RemoteIpAddress?.ToString(), stamp.TraceId,
            bodySummary ?? await BodySummary.OfAsync(http.Request), error?.Code, error?.Reason);
        await http.RequestServices.GetRequiredService<OperationRecordStore>().AppendAsync(record, http.RequestAborted);
    }

    private static string? RouteId(HttpContext http) => http.Request.RouteValues["id"] as string;

    private static string? IdOf(object? result)
    {
        var data = result?.GetType().GetProperty("Data")?.GetValue(result);
        return data?.GetType().GetProperty("Id")?.GetValue(data) as string;
    }
}
