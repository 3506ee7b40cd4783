using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using OrleansFunc.Errors;

namespace OrleansFunc.WebFront.Http;

/// <summary>Writes envelopes with the API's JSON settings; the one place that builds them.</summary>
public static class EnvelopeWriter
{
    public static Task WriteDataAsync<T>(HttpContext context, T? data, PageInfo? pageInfo, int status = StatusCodes.Status200OK)
    {
        var stamp = RequestStamp.Of(context);
        var envelope = new Envelope<T>(status < 400, status, "", data, pageInfo, stamp.TraceId, stamp.ReqTime, DateTimeOffset.UtcNow,
            stamp.ElapsedMilliseconds);
        return WriteAsync(context, status, envelope);
    }

    public static Task WriteErrorAsync(HttpContext context, ErrorKind kind, string reason, string message, string? detailJson)
    {
        var stamp = RequestStamp.Of(context);
        var descriptor = kind.Describe();
        context.Features.Set(new AnsweredError(descriptor.Code, reason));
        JsonElement? detail = detailJson is null ? null : JsonDocument.Parse(detailJson).RootElement.Clone();
        var envelope = new ErrorEnvelope(false, descriptor.Code, reason, message, detail, null, stamp.TraceId, stamp.ReqTime,
            DateTimeOffset.UtcNow, stamp.ElapsedMilliseconds);
        return WriteAsync(context, descriptor.HttpStatus, envelope);
    }

    public static Task WriteErrorAsync(HttpContext context, DffException error) =>
        WriteErrorAsync(context, error.Kind, error.Reason, error.Message, error.DetailJson);

    private static Task WriteAsync<TEnvelope>(HttpContext context, int status, TEnvelope envelope)
    {
        var json = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(envelope, json);
    }
}
