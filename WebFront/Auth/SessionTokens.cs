using System.Security.Cryptography;
using System.Text;

namespace OrleansFunc.WebFront.Auth;

/// <summary>Session tokens: random, handed out once, stored only as their SHA-256 (the session grain key).</summary>
public static class SessionTokens
{
    public const string HeaderName = "X-Dff-Auth-Token";

    public static string NewToken() => "dff_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string KeyOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>The token of a request: <c>X-Dff-Auth-Token</c>, else <c>Authorization: Bearer</c>, else the console's <see cref="SessionCookie"/>.</summary>
    public static string? FromRequest(HttpRequest request)
    {
        var token = request.Headers[HeaderName].ToString();
        if (string.IsNullOrEmpty(token))
        {
            var authorization = request.Headers.Authorization.ToString();
            const string bearer = "Bearer ";
            token = authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? authorization[bearer.Length..].Trim() : "";
        }
        if (string.IsNullOrEmpty(token))
        {
            token = SessionCookie.FromRequest(request) ?? "";
        }
        return token.Length is > 0 and <= 256 ? token : null;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
