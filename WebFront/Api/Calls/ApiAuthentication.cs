using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using OrleansFunc.ApiAuths;
using OrleansFunc.Engine;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.Users;
using OrleansFunc.WebFront.Auth;

namespace OrleansFunc.WebFront.Api.Calls;

/// <summary>
/// Checks a call of an auth link or batch against the API authentication method attached to it, answering 401.99
/// (<c>EAPIAuth</c>, DataFlux Func's messages) when it fails. A Basic password is checked against its slow hash once; the
/// front end then remembers the pair (keyed by a hash of it and the method's version) for a while, so a busy caller
/// costs a SHA-256, and a change of the method forgets it.
/// </summary>
public sealed class ApiAuthentication(IGrainFactory grains, FuncInvoker invoker, PasswordGate passwords) : IDisposable
{
    private static readonly TimeSpan PassRemembered = TimeSpan.FromMinutes(10);

    private readonly MemoryCache _passed = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    public void Dispose() => _passed.Dispose();

    /// <summary>Lets the call pass <paramref name="methodId"/>, or throws 401.99; the method as checked.</summary>
    /// <param name="bodyJson">
    /// The body as a func method's func sees it; null (<c>{}</c>) when it is not read yet: a form or a raw body is read,
    /// and its files stored, only once the caller passed.
    /// </param>
    public async Task<ApiAuthCheck> AuthenticateAsync(string methodId, HttpRequest request, string? bodyJson = null)
    {
        // A method deleted under an entry fails closed: nobody passes it.
        var check = await grains.GetGrain<IApiAuthGrain>(methodId).GetCheckAsync()
            ?? throw Failed("API auth failed: the entry's API auth no longer exists");
        switch (check.Type)
        {
            case ApiAuthType.FixedField:
                if (!check.Fields.Any(field => Matches(field, request)))
                {
                    throw Failed("Fixed Field Auth failed");
                }
                break;
            case ApiAuthType.HttpBasic:
                if (!await BasicPassesAsync(check, request))
                {
                    AskForBasic(request.HttpContext.Response);
                    throw Failed("HTTP Basic Auth failed");
                }
                break;
            case ApiAuthType.Func:
                if (!await FuncPassesAsync(check, request, bodyJson))
                {
                    throw Failed("Func Auth failed");
                }
                break;
        }
        return check;
    }

    /// <summary>
    /// The caller's kwargs without the fixed query fields of <paramref name="check"/> that the request carried (a simplified
    /// call reads every query field as a kwarg; the credential is not one, as in 1.x).
    /// </summary>
    public static string WithoutCredentials(ApiAuthCheck check, string kwargsJson, HttpRequest request)
    {
        var names = check.Fields.Where(f => f.Location == ApiAuthFieldLocation.Query && QueryValue(request, f.Name) is not null).Select(f => f.Name).ToList();
        if (names.Count == 0 || JsonNode.Parse(kwargsJson) is not JsonObject kwargs)
        {
            return kwargsJson;
        }
        foreach (var name in names)
        {
            if (kwargs[name] is JsonValue value && value.TryGetValue<string>(out var text) && text == QueryValue(request, name))
            {
                kwargs.Remove(name);
            }
        }
        return kwargs.ToJsonString();
    }

    /// <summary>A query field by its exact name, as 1.x's <c>req.query[name]</c> (<c>Request.Query</c> ignores the case).</summary>
    private static string? QueryValue(HttpRequest request, string name)
    {
        foreach (var (fieldName, value) in QueryFields.Of(request))
        {
            if (fieldName == name)
            {
                return value.ToString();
            }
        }
        return null;
    }

    private static bool Matches(ApiAuthField field, HttpRequest request)
    {
        var sent = field.Location == ApiAuthFieldLocation.Header ? request.Headers[field.Name].ToString() : QueryValue(request, field.Name) ?? "";
        return sent.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(field.Value));
    }

    private async Task<bool> BasicPassesAsync(ApiAuthCheck check, HttpRequest request)
    {
        if (ReadBasic(request) is not var (username, password) || !check.PasswordHashesByUsername.TryGetValue(username, out var hash))
        {
            return false;
        }
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{check.Id}\n{check.Version}\n{username}\n{password}")));
        if (_passed.TryGetValue(key, out _))
        {
            return true;
        }
        // The slow hash, bounded like sign-ins so that a flood of guesses cannot take every core.
        var passes = await passwords.CheckAsync(() => Task.FromResult(PasswordHasher.Verify(password, hash)), request.HttpContext.RequestAborted);
        if (passes)
        {
            _passed.Set(key, true, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = PassRemembered });
        }
        return passes;
    }

    /// <summary>The challenge of a refused Basic call; set as the answer starts, since the error handler clears the headers before.</summary>
    private static void AskForBasic(HttpResponse response) => response.OnStarting(() =>
    {
        if (response.StatusCode == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = "Basic realm=\"OrleansFunc\", charset=\"UTF-8\"";
        }
        return Task.CompletedTask;
    });

    private static (string Username, string Password)? ReadBasic(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = pair.IndexOf(':');
            return colon < 0 ? null : (pair[..colon], pair[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The method's func, with the request as <c>_DFF_HTTP_REQUEST</c>: a true value lets the call in; failing, it does not.</summary>
    private async Task<bool> FuncPassesAsync(ApiAuthCheck check, HttpRequest request, string? bodyJson)
    {
        var context = new RunContext(TaskOrigin.ApiAuth, check.Id) { HttpRequestJson = HttpRequestContext.Describe(request, bodyJson, forAuthFunc: true) };
        var (run, _) = await invoker.CallAsync(check.FuncId!, "{}", new FuncCallOptions(null), TaskOrigin.ApiAuth.Describe().Lane, context);
        if (!run.IsSuccess || string.IsNullOrEmpty(run.ResultJson))
        {
            return false;
        }
        using var result = JsonDocument.Parse(run.ResultJson);
        var value = result.RootElement;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.Number => value.GetDouble() != 0,
            JsonValueKind.String => value.GetString()!.Length > 0,
            JsonValueKind.Object => value.EnumerateObject().Any(),
            JsonValueKind.Array => value.GetArrayLength() > 0,
            _ => false,
        };
    }

    private static DffException Failed(string message) => new(ErrorKind.ApiAuthFailed, null, message);
}
