using OrleansFunc.Hosting;
using OrleansFunc.Records;
using OrleansFunc.WebFront.Auth;

namespace OrleansFunc.WebFront.Http;

/// <summary>
/// Puts every request answered with 4xx/5xx, or slower than <see cref="TelemetrySettings.SlowRequestMs"/>, in the
/// request log (without waiting for the database), with its trace ID, so an operator finds the trace or log lines of
/// the call a user complains about.
/// </summary>
public static class RequestLogging
{
    private static readonly string Host = $"{Environment.MachineName}:{Environment.ProcessId}";

    public static Func<HttpContext, RequestDelegate, Task> Middleware(IServiceProvider services)
    {
        var store = services.GetRequiredService<RequestLogStore>();
        var slowMs = services.GetRequiredService<OrleansFuncOptions>().Telemetry.SlowRequestMs;
        return async (http, next) =>
        {
            await next(http);
            var stamp = RequestStamp.Of(http);
            var cost = stamp.ElapsedMilliseconds;
            var status = http.Response.StatusCode;
            if (status >= 400 || cost >= slowMs)
            {
                store.Append(new RequestLogEntry(0, stamp.ReqTime, http.Request.Method, http.Request.Path.ToString(), status,
                    (int)Math.Min(cost, int.MaxValue), cost >= slowMs, stamp.TraceId, http.Connection.RemoteIpAddress?.ToString(),
                    http.User.TryGetActor()?.UserId, Host));
            }
        };
    }
}
