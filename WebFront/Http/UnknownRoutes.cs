using OrleansFunc.Errors;

namespace OrleansFunc.WebFront.Http;

/// <summary>Unknown routes and methods answer 404.41 in the envelope, as DataFlux Func does.</summary>
public static class UnknownRoutes
{
    private static Task RespondAsync(HttpContext context) =>
        EnvelopeWriter.WriteErrorAsync(context, DffException.NotFound("NoSuchRoute",
            $"No such route: {context.Request.Method} {context.Request.Path}",
            new { method = context.Request.Method, url = context.Request.Path.ToString() }));

    /// <summary>Envelopes for the bodiless answers of the routing layer: no route, wrong method, body not JSON or too large.</summary>
    public static Task RespondToStatusAsync(Microsoft.AspNetCore.Diagnostics.StatusCodeContext status) =>
        status.HttpContext.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed => RespondAsync(status.HttpContext),
            StatusCodes.Status415UnsupportedMediaType => EnvelopeWriter.WriteErrorAsync(status.HttpContext,
                DffException.BadRequest("InvalidBody", "The body must be JSON (Content-Type: application/json)")),
            // A JSON body past the route's limit: the framework stops reading it and answers bare 413.
            StatusCodes.Status413PayloadTooLarge => EnvelopeWriter.WriteErrorAsync(status.HttpContext,
                DffException.BadRequest("BodyTooLarge", "The request body is too large")),
            _ => Task.CompletedTask,
        };
}
