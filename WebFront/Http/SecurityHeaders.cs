namespace OrleansFunc.WebFront.Http;

/// <summary>
/// The usual security headers. Every answer: no content sniffing, no referrer sent to other sites.
/// The console and the API: never framed by another page (clickjacking). The console's pages: a
/// content security policy that runs only the console's own scripts. The public call routes are left
/// to their own answer (an auth link's page may be framed by a dashboard; it is served as a sandbox).
/// </summary>
public static class SecurityHeaders
{
    private const string ConsolePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; " +
        "form-action 'self'; frame-ancestors 'none'";

    private static readonly PathString[] PublicCallRoutes = ["/api/v1/al", "/api/v1/bat"];

    /// <summary>Middleware; the headers are set as the answer starts, so an error answer (whose headers the exception handler clears) has them too.</summary>
    public static Task AddAsync(HttpContext http, Func<Task> next)
    {
        http.Response.OnStarting(Add, http);
        return next();
    }

    private static Task Add(object state)
    {
        var http = (HttpContext)state;
        var path = http.Request.Path;
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        if (!PublicCallRoutes.Any(route => path.StartsWithSegments(route)))
        {
            headers.XFrameOptions = "DENY";
        }
        // The Swagger UI has inline scripts of its own; the API answers JSON.
        if (!path.StartsWithSegments("/api") && !path.StartsWithSegments(Hosting.WebFrontHosting.SwaggerRoot))
        {
            headers.ContentSecurityPolicy = ConsolePolicy;
        }
        return Task.CompletedTask;
    }
}
