using OrleansFunc.Errors;

namespace OrleansFunc.WebFront.Http;

/// <summary>Unknown routes and methods answer 404.41 in the envelope, as DataFlux Func does.</summary>
public static class UnknownRoutes
{
    public static Task RespondAsync(HttpContext context) =>
        EnvelopeWriter.WriteErrorAsync(context, DffException.NotFound("NoSuchRoute",
            $"No such route: {context.Request.Method} {context.Request.Path}",
            new { method = context.Request.Method, url = context.Request.Path.ToString() }));

    /// <summary>Status-code page for bodiless 404/405 answers of the routing layer.</summary>
    public static Task RespondToStatusAsync(Microsoft.AspNetCore.Diagnostics.StatusCodeContext status) =>
        status.HttpContext.Response.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed
            ? RespondAsync(status.HttpContext)
            : Task.CompletedTask;
}
