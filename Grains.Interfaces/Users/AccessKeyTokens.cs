using System.Security.Cryptography;

namespace OrleansFunc.Users;

/// <summary>
/// Access key tokens: <c>ofk_&lt;id&gt;_&lt;secret&gt;</c>, the ID naming the key's grain (16 hex characters) and the secret 32
/// random bytes in base64url. The prefix tells them from session tokens (<c>dff_…</c>) at a glance, and to secret scanners.
/// </summary>
public static class AccessKeyTokens
{
    public const string Prefix = "ofk_";
    private const int IdLength = 16;

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdLength / 2));

    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Make(string id, string secret) => $"{Prefix}{id}_{secret}";

    public static bool IsAccessKey(string token) => token.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The key ID and secret of a token, or false for anything not shaped like one (no grain is made for it).</summary>
    public static bool TryParse(string token, out string id, out string secret)
    {
        id = secret = "";
        if (!IsAccessKey(token) || token.Length < Prefix.Length + IdLength + 2 || token[Prefix.Length + IdLength] != '_')
        {
            return false;
        }
        id = token.Substring(Prefix.Length, IdLength);
        secret = token[(Prefix.Length + IdLength + 1)..];
        return id.All(Uri.IsHexDigit) && id.All(c => !char.IsUpper(c)) && secret.Length > 0;
    }
}
