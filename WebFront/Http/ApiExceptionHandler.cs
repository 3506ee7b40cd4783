using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using OrleansFunc.Errors;
using OrleansFunc.Storage;

namespace OrleansFunc.WebFront.Http;

/// <summary>
/// The one place where failures become envelopes: broken rules keep their code, malformed requests
/// become 400.43 with what was wrong, anything unexpected becomes 500.5 and is logged.
/// </summary>
public sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var error = exception switch
        {
            DffException known => known,
            BadHttpRequestException bad => DescribeBadRequest(bad),
            JsonException json => DffException.BadRequest("InvalidBody", JsonErrors.Describe(json)),
            // ASP.NET's JSON body binding refuses a charset it does not know with an InvalidOperationException.
            InvalidOperationException when UnknownCharset(context.Request) is { } charset =>
                DffException.BadRequest("InvalidBody", $"Unknown charset '{charset}' in the Content-Type (send UTF-8)"),
            // PostgreSQL's text holds no NUL character: a caller's text with one cannot be stored or looked up.
            _ when PostgresText.RefusedNul(exception) =>
                DffException.BadRequest("InvalidText", "Text with a NUL character (\\u0000) cannot be stored or looked up"),
            _ => null,
        };
        if (error is null)
        {
            LogUnexpected(logger, exception, context.Request.Method, context.Request.Path);
            error = new DffException(ErrorKind.Internal, null, "Internal error; see the server log for the trace ID");
        }
        await EnvelopeWriter.WriteErrorAsync(context, error);
        return true;
    }

    private static string? UnknownCharset(HttpRequest request)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ||
            Microsoft.Extensions.Primitives.StringSegment.IsNullOrEmpty(type.Charset))
        {
            return null;
        }
        try
        {
            System.Text.Encoding.GetEncoding(type.Charset.ToString());
            return null;
        }
        catch (ArgumentException)
        {
            return type.Charset.ToString();
        }
    }

    private static DffException DescribeBadRequest(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            return DffException.BadRequest("InvalidBody", JsonErrors.Describe(json));
        }
        return bad.StatusCode switch
        {
            StatusCodes.Status415UnsupportedMediaType =>
                DffException.BadRequest("InvalidBody", "The body must be JSON (Content-Type: application/json)"),
            StatusCodes.Status413PayloadTooLarge => DffException.BadRequest("BodyTooLarge", "The request body is too large"),
            _ => DffException.BadRequest("InvalidRequest", bad.Message),
        };
    }
}
