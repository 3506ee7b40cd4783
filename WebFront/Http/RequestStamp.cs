using System.Text.RegularExpressions;

namespace OrleansFunc.WebFront.Http;

/// <summary>When a request arrived and its trace ID (taken from <c>X-Trace-Id</c> when sane), for the envelope.</summary>
public sealed partial record RequestStamp(string TraceId, DateTimeOffset ReqTime, long StartTimestamp)
{
    private const string TraceHeader = "X-Trace-Id";

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex SaneTraceId();

    public static RequestStamp Of(HttpContext context) =>
        context.Features.Get<RequestStamp>() ?? Create(context);

    public long ElapsedMilliseconds => (long)System.Diagnostics.Stopwatch.GetElapsedTime(StartTimestamp).TotalMilliseconds;

    /// <summary>Middleware stamping every request and echoing the trace ID.</summary>
    public static async Task StampAsync(HttpContext context, RequestDelegate next)
    {
        var stamp = Create(context);
        context.Response.Headers[TraceHeader] = stamp.TraceId;
        await next(context);
    }

    private static RequestStamp Create(HttpContext context)
    {
        var given = context.Request.Headers[TraceHeader].ToString();
        var traceId = SaneTraceId().IsMatch(given) ? given : $"TRACE-{Guid.NewGuid().ToString().ToUpperInvariant()}";
        var stamp = new RequestStamp(traceId, DateTimeOffset.UtcNow, System.Diagnostics.Stopwatch.GetTimestamp());
        context.Features.Set(stamp);
        return stamp;
    }
}
