using System.Text.Json;

namespace OrleansFunc.WebFront.Api.Calls;

/// <summary>
/// The calling HTTP request as scripts see it in <c>_DFF_HTTP_REQUEST</c> (the 1.x fields), less the
/// caller's credentials: a func's author must not collect the sessions of the people who call it.
/// </summary>
public static class HttpRequestContext
{
    private static readonly HashSet<string> CredentialHeaders =
        new([OrleansFunc.WebFront.Auth.SessionTokens.HeaderName, "Authorization", "Cookie", "Proxy-Authorization"], StringComparer.OrdinalIgnoreCase);

    /// <param name="forAuthFunc">
    /// For the func of an API authentication method: it gets the <c>Authorization</c> header, the credential the caller
    /// sent for this very check (never the console's session).
    /// </param>
    public static string Describe(HttpRequest request, bool forAuthFunc = false)
    {
        var ip = request.HttpContext.Connection.RemoteIpAddress?.ToString();
        return JsonSerializer.Serialize(new
        {
            method = request.Method,
            originalUrl = request.Path + request.QueryString,
            url = request.Path + request.QueryString,
            hostname = request.Host.Host,
            headers = request.Headers.Where(h => !CredentialHeaders.Contains(h.Key) || (forAuthFunc && h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)))
                .ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
            query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()),
            ip,
            ips = request.Headers["X-Forwarded-For"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            xhr = request.Headers.XRequestedWith == "XMLHttpRequest",
        });
    }
}
