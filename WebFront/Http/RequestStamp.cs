using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using OrleansFunc.Hosting.Operations;

namespace OrleansFunc.WebFront.Http;

/// <summary>
/// When a request arrived and its trace ID, for the envelope and DataFlux Func's response headers. The trace ID is the
/// caller's <c>X-Trace-Id</c> when sane (echoed, as DataFlux Func does), else the request's W3C trace (the caller's
/// <c>traceparent</c>, or a new one) written as DataFlux Func writes its IDs: <c>TRACE-</c> and the 32 hex digits as a
/// UUID, so the envelope's ID finds the call's trace.
/// </summary>
public sealed partial record RequestStamp(string TraceId, DateTimeOffset ReqTime, long StartTimestamp)
{
    private const string TraceHeader = "X-Trace-Id";

    /// <summary>When this build was made (the program file's time), DataFlux Func's <c>X-Dff-Release-Timestamp</c>.</summary>
    private static readonly string ReleaseTimestamp = File.GetLastWriteTimeUtc(typeof(RequestStamp).Assembly.Location) is var built && built.Year > 1601
        ? new DateTimeOffset(built).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)
        : "0";

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex SaneTraceId();

    public static RequestStamp Of(HttpContext context) =>
        context.Features.Get<RequestStamp>() ?? Create(context);

    public long ElapsedMilliseconds => (long)Stopwatch.GetElapsedTime(StartTimestamp).TotalMilliseconds;

    /// <summary>Middleware stamping every request, echoing the trace ID and adding the times as the response starts.</summary>
    public static async Task StampAsync(HttpContext context, RequestDelegate next)
    {
        var stamp = Create(context);
        context.Response.Headers[TraceHeader] = stamp.TraceId;
        context.Response.OnStarting(AddTimes, (context, stamp));
        await next(context);
    }

    private static Task AddTimes(object state)
    {
        var (context, stamp) = ((HttpContext, RequestStamp))state;
        var headers = context.Response.Headers;
        headers["X-Request-Time"] = stamp.ReqTime.ToString("O", CultureInfo.InvariantCulture);
        headers["X-Response-Time"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        headers["X-Request-Cost"] = stamp.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture);
        headers["X-Dff-Version"] = TelemetrySetup.ProductVersion;
        headers["X-Dff-Release-Timestamp"] = ReleaseTimestamp;
        return Task.CompletedTask;
    }

    private static RequestStamp Create(HttpContext context)
    {
        var given = context.Request.Headers[TraceHeader].ToString();
        var traceId = SaneTraceId().IsMatch(given) ? given : Format(Activity.Current);
        var stamp = new RequestStamp(traceId, DateTimeOffset.UtcNow, Stopwatch.GetTimestamp());
        context.Features.Set(stamp);
        return stamp;
    }

    /// <summary><c>TRACE-</c> and the W3C trace ID as an upper-case UUID; a random one without a W3C trace.</summary>
    public static string Format(Activity? request)
    {
        if (request is not { IdFormat: ActivityIdFormat.W3C })
        {
            return $"TRACE-{Guid.NewGuid().ToString().ToUpperInvariant()}";
        }
        var hex = request.TraceId.ToHexString().ToUpperInvariant();
        return $"TRACE-{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }
}
