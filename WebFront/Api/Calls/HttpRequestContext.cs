using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace OrleansFunc.WebFront.Api.Calls;

/// <summary>
/// The calling HTTP request as scripts see it in <c>_DFF_HTTP_REQUEST</c> (DataFlux Func's fields: 1.x's, and
/// <c>host</c>, <c>protocol</c> and <c>body</c> of later versions), less the caller's credentials: a func's author must
/// not collect the sessions of the people who call it.
/// </summary>
/// <remarks>
/// Written field by field into a buffer kept per thread: it is built for every call of an auth link, and the
/// serializer's object graph (an anonymous object, two dictionaries, a lowered copy of every header name) cost
/// more than the rest of the description.
/// </remarks>
public static class HttpRequestContext
{
    private static readonly HashSet<string> CredentialHeaders =
        new([OrleansFunc.WebFront.Auth.SessionTokens.HeaderName, "Authorization", "Cookie", "Proxy-Authorization"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Headers Node's server keeps once when a caller sends them twice (its <c>matchKnownFields</c>).</summary>
    private static readonly HashSet<string> HeadersKeptOnce = new(
        ["Age", "Content-Length", "Content-Type", "ETag", "Expires", "From", "Host", "If-Modified-Since", "If-Unmodified-Since",
         "Last-Modified", "Location", "Max-Forwards", "Referer", "Retry-After", "Server", "User-Agent"],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>A thread keeps its buffer up to this size (a request's headers); one grown past it by a body is let go.</summary>
    private const int MaxKeptBufferBytes = 64 * 1024;

    /// <summary>Header names are short; a longer one is lowered on the heap.</summary>
    private const int StackNameLength = 256;

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <param name="bodyJson">
    /// The body as DataFlux Func's parsers give it (see <see cref="CallerArguments.BodyJson"/>); null: <c>{}</c>, as for
    /// a request without one.
    /// </param>
    /// <param name="forAuthFunc">
    /// For the func of an API authentication method: it gets the <c>Authorization</c> header, the credential the caller
    /// sent for this very check (never the console's session).
    /// </param>
    public static string Describe(HttpRequest request, string? bodyJson = null, bool forAuthFunc = false)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var json = t_writer ??= new Utf8JsonWriter(buffer);
        json.Reset(buffer);

        var (originalUrl, url) = Urls(request);
        json.WriteStartObject();
        json.WriteString("method", request.Method);
        json.WriteString("originalUrl", originalUrl);
        json.WriteString("url", url);
        json.WriteString("host", request.Host.Value);
        json.WriteString("hostname", request.Host.Host);
        json.WriteString("protocol", request.Scheme);
        json.WriteStartObject("headers");
        Span<char> shortName = stackalloc char[StackNameLength];
        foreach (var (name, value) in request.Headers)
        {
            if (CredentialHeaders.Contains(name) && !(forAuthFunc && name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }
            var lowered = name.Length <= StackNameLength ? shortName[..name.Length] : new char[name.Length];
            name.AsSpan().ToLowerInvariant(lowered);
            json.WriteString(lowered, value.Count <= 1 ? value.ToString() : AsNodeJoinsThem(name, value));
        }
        json.WriteEndObject();
        json.WritePropertyName("query");
        ExtendedFields.Write(json, QueryFields.Of(request));
        json.WriteString("ip", request.HttpContext.Connection.RemoteIpAddress?.ToString());
        json.WriteStartArray("ips");
        var forwardedFor = request.Headers["X-Forwarded-For"].ToString().AsSpan();
        foreach (var range in forwardedFor.Split(','))
        {
            if (forwardedFor[range].Trim() is { IsEmpty: false } address)
            {
                json.WriteStringValue(address);
            }
        }
        json.WriteEndArray();
        json.WritePropertyName("body");
        if (bodyJson is null)
        {
            json.WriteStartObject();
            json.WriteEndObject();
        }
        else
        {
            json.WriteRawValue(bodyJson, skipInputValidation: true);
        }
        json.WriteBoolean("xhr", string.Equals(request.Headers.XRequestedWith.ToString(), "XMLHttpRequest", StringComparison.OrdinalIgnoreCase));
        json.WriteEndObject();
        json.Flush();
        var described = Encoding.UTF8.GetString(buffer.WrittenSpan);
        if (buffer.Capacity > MaxKeptBufferBytes)
        {
            // A large body grew it: not kept by the thread for ever.
            (t_buffer, t_writer) = (null, null);
        }
        return described;
    }

    /// <summary>A header sent more than once, as DataFlux Func's Node server gives it: the first, or all joined with ", ".</summary>
    private static string AsNodeJoinsThem(string name, Microsoft.Extensions.Primitives.StringValues values) =>
        HeadersKeptOnce.Contains(name) ? values[0] ?? "" : string.Join(", ", values.ToArray());

    /// <summary>
    /// As Express gives them to DataFlux Func: <c>originalUrl</c> the request target as sent, <c>url</c> its path as sent
    /// (<c>path.join(req.baseUrl, req.path)</c>: not decoded, no query, dot segments and doubled slashes resolved).
    /// </summary>
    private static (string OriginalUrl, string Url) Urls(HttpRequest request)
    {
        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/')
        {
            // No origin-form target (an absolute URL, or a host that keeps none): what routing saw, escaped again.
            var path = (request.PathBase + request.Path).ToUriComponent();
            return (path + request.QueryString.ToUriComponent(), path);
        }
        var queryAt = target.IndexOf('?');
        return (target, JoinedPath(queryAt < 0 ? target : target[..queryAt]));
    }

    /// <summary>Node's <c>path.posix.normalize</c> of an absolute path; the path itself when there is nothing to resolve.</summary>
    private static string JoinedPath(string path)
    {
        if (!path.Contains("//", StringComparison.Ordinal) && !path.Contains("/.", StringComparison.Ordinal))
        {
            return path;
        }
        var kept = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }
            if (segment == "..")
            {
                if (kept.Count > 0)
                {
                    kept.RemoveAt(kept.Count - 1);
                }
                continue;
            }
            kept.Add(segment);
        }
        var joined = "/" + string.Join('/', kept);
        return path.EndsWith('/') && kept.Count > 0 ? joined + "/" : joined;
    }

    private static readonly JsonSerializerOptions BoundBodyOptions = new(JsonSerializerOptions.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A JSON body the route bound to <paramref name="body"/>, as the fields the caller sent (null: none).</summary>
    public static string? BoundBody<T>(T? body) where T : class =>
        body is null ? null : JsonSerializer.Serialize(body, BoundBodyOptions);
}
