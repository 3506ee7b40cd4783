namespace OrleansFunc.WebFront.Auth;

/// <summary>
/// The console's session: the sign-in token in an HttpOnly cookie, so that no script running in a page
/// (a func's HTML, a console bug) can read it. The cookie counts only on requests that also carry
/// <see cref="ConsoleHeader"/>: a page of another origin (or a sandboxed func page) cannot add that
/// header without a CORS preflight the server never grants, so it cannot ride on the cookie either.
/// API callers keep sending the token in a header. The one exception: reads of Orleans' dashboard, a page a browser
/// opens by itself (read-only; SameSite=Strict keeps other sites' pages and sandboxed func pages from sending the cookie).
/// </summary>
public static class SessionCookie
{
    public const string Name = "dff_session";

    /// <summary>The header the console adds to every API request it sends.</summary>
    public const string ConsoleHeader = "X-Dff-Console";

    public static void Issue(HttpContext http, string token, DateTimeOffset expireTime) =>
        http.Response.Cookies.Append(Name, token, Options(http, expireTime));

    public static void Clear(HttpContext http) => http.Response.Cookies.Delete(Name, Options(http, null));

    /// <summary>The token of the cookie, when the request comes from the console.</summary>
    public static string? FromRequest(HttpRequest request) =>
        request.Headers.ContainsKey(ConsoleHeader) || Hosting.OrleansDashboard.IsRead(request) ? request.Cookies[Name] : null;

    private static CookieOptions Options(HttpContext http, DateTimeOffset? expireTime) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = "/api/",
        Expires = expireTime,
    };
}
