using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Security;

/// <summary>
/// Every route of the OpenAPI document that takes a body, sent bodies a careless or hostile caller sends: each gets an
/// envelope that says what was wrong (a 4xx), never the server's 500. On a server of its own, since some routes act on
/// an empty body (signing out, clearing a cache).
/// </summary>
public sealed partial class MalformedBodySweepTests : IAsyncLifetime
{
    private TestServer? _server;
    private string _admin = "";

    private TestServer Server => _server!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartOnSharedPostgresAsync();
        _admin = await _server.SetUpAndSignInAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static readonly (string Name, Func<HttpContent> Body)[] Bodies =
    [
        ("broken JSON", () => Json("{\"id\": ")),
        ("a JSON list", () => Json("[1, 2]")),
        ("a JSON string", () => Json("\"text\"")),
        ("JSON null", () => Json("null")),
        ("JSON nested past any limit", () => Json(new string('[', 5000) + new string(']', 5000))),
        ("every usual field of the wrong type", () => Json("""
            {"id": {"x": [1]}, "title": 5, "name": [], "funcId": 7, "codeDraft": 1, "kwargs": "x", "funcCallKwargs": 3,
             "options": 1, "throttling": "x", "crontab": 5, "expireTime": "tomorrow", "isDisabled": "no", "config": [],
             "type": {}, "value": {}, "valueTEXT": [], "autoTypeCasting": 9, "password": 1, "username": [], "requirement": {},
             "path": 3, "newName": [], "indexUrl": 1, "language": 2, "scriptSetIds": "a", "note": {}, "tags": 1, "funcName": 2}
            """)),
        ("NUL characters in every usual field", () => Json("""
            {"id": "a\u0000b", "title": "a\u0000b", "name": "a\u0000b", "description": "\u0000", "funcId": "x\u0000.y", "codeDraft": "\u0000",
             "kwargs": {"a\u0000": "\u0000"}, "value": "\u0000", "valueTEXT": "\u0000", "password": "\u0000", "username": "\u0000",
             "note": "\u0000", "tags": ["\u0000"], "path": "\u0000", "newName": "\u0000", "requirement": "\u0000", "funcName": "\u0000"}
            """)),
        ("lone surrogates in every usual field", () => Json("""
            {"id": "a\ud800", "title": "\udc00x", "name": "\ud800", "funcId": "x\ud800.y", "kwargs": {"a": "\ud800"}, "value": "\ud800",
             "valueTEXT": "\ud800", "password": "\ud800", "username": "\ud800", "path": "\ud800", "newName": "\ud800", "codeDraft": "\ud800"}
            """)),
        ("numbers out of every range", () => Json("""{"id": "x", "limit": 1e999, "pageSize": -1, "pageNumber": 99999999999999999999, "timeout": 1e400}""")),
        ("a multipart body without its parts", () => Typed("not a multipart body", "multipart/form-data; boundary=xyz")),
        ("a multipart body without a boundary", () => Typed("--xyz\r\n", "multipart/form-data")),
        ("a form past the field limit", () => Typed(string.Join("&", Enumerable.Range(0, 1100).Select(i => $"f{i}=x")), "application/x-www-form-urlencoded")),
        ("a form with broken escapes", () => Typed("a=%zz&b=%&%%=1", "application/x-www-form-urlencoded")),
        ("text", () => Typed("plain words", "text/plain")),
        ("JSON in a charset nobody knows", () => Typed("{}", "application/json; charset=klingon")),
        ("bytes that are not UTF-8", () => new ByteArrayContent([0xff, 0xfe, 0xc3, 0x28]) { Headers = { ContentType = new("application/json") } }),
    ];

    [Fact]
    public async Task EveryRouteThatTakesABody_AnswersMalformedBodiesWithAnEnvelope_NeverA500()
    {
        var (link, batch) = await CallEntitiesAsync();
        // A member's calls take other paths (refusals by role) than the administrator's.
        var member = SharedServerFixture.UniqueId("member");
        (await Server.PostAsync("/api/v1/users", new { username = member, password = "member-password" }, _admin)).AssertOk();
        var tokens = new[] { _admin, await Server.SignInAsync(member, "member-password") };
        var document = await Server.GetAsync("/swagger/v1/swagger.json");
        var failures = new List<string>();
        var routes = 0;
        // Signing out ends the session the other routes are called with: it goes last.
        foreach (var (method, url, isCall) in Routes(document, link, batch).Where(route => route.Method is "POST" or "PUT" or "PATCH")
                     .OrderBy(route => route.Url.EndsWith("/sign-out", StringComparison.Ordinal)))
        {
            routes++;
            foreach (var token in tokens)
            {
                foreach (var (name, body) in Bodies)
                {
                    if (await FailureAsync(method, url, isCall, body(), token) is { } failure)
                    {
                        failures.Add($"{method} {url} with {name}{As(token)}: {failure}");
                    }
                }
            }
        }
        Assert.True(routes >= 30, $"only {routes} routes that take a body in the OpenAPI document");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task EveryRoute_AnswersMalformedQueryValuesWithAnEnvelope_NeverA500()
    {
        var (link, batch) = await CallEntitiesAsync();
        var document = await Server.GetAsync("/swagger/v1/swagger.json");
        const string query = "?pageSize=abc&pageNumber=-5&pageIndex=99999999999999999999&limit=1e999&sort=%zz&id=%00&funcId[]=x" +
                             "&status=x&origin=&kwargs=%7B%22a%22%3A%22%5Cud800%22%7D&options=%7B%22timeout%22%3A%22%5Cudc00%22%7D&taskId=%00&q=%00&search=%00&format=x&since=yesterday&before=-1&fuzzySearch=%ff&path=../..";
        var failures = new List<string>();
        var routes = 0;
        foreach (var (method, url, isCall) in Routes(document, link, batch).Where(route => route.Method is "GET" or "POST")
                     .OrderBy(route => route.Url.EndsWith("/sign-out", StringComparison.Ordinal)))
        {
            routes++;
            if (await FailureAsync(method, url + query, isCall, null, _admin) is { } failure)
            {
                failures.Add($"{method} {url}{query}: {failure}");
            }
        }
        Assert.True(routes >= 40, $"only {routes} GET and POST routes in the OpenAPI document");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private string As(string token) => token == _admin ? "" : " (as a member)";

    /// <summary>Each operation of the document with its placeholders filled: the call routes get a real link or batch
    /// and the simplified form, any other placeholder a number.</summary>
    private static IEnumerable<(string Method, string Url, bool IsCall)> Routes(ApiResponse document, string link, string batch)
    {
        foreach (var path in document.Body.GetProperty("paths").EnumerateObject())
        {
            var isLink = path.Name.StartsWith("/api/v1/al/", StringComparison.Ordinal);
            var isCall = isLink || path.Name.StartsWith("/api/v1/bat/", StringComparison.Ordinal);
            var url = Placeholder().Replace(path.Name, match => (isCall, match.Value) switch
            {
                (true, "{id}") => isLink ? link : batch,
                (true, "{format}") => "s",
                _ => "1",
            });
            foreach (var operation in path.Value.EnumerateObject())
            {
                yield return (operation.Name.ToUpperInvariant(), url, isCall);
            }
        }
    }

    /// <summary>What is wrong with the answer to one request, or null: a 500, an answer that broke off, or one that is
    /// not an envelope (a call that gets through answers the func's own result, as a link is set to).</summary>
    private async Task<string?> FailureAsync(string method, string url, bool isCall, HttpContent? body, string token)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = body };
        request.Headers.Add("X-Dff-Auth-Token", token);
        try
        {
            using var response = await Server.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var isDownload = response.Content.Headers.ContentType?.MediaType is not ("application/json" or null);
            return (int)response.StatusCode >= 500 || !(IsEnvelope(text) || (isCall || isDownload) && response.IsSuccessStatusCode)
                ? $"{(int)response.StatusCode} {text[..Math.Min(text.Length, 200)]}"
                : null;
        }
        catch (HttpRequestException broken)
        {
            return $"the answer broke off ({broken.GetBaseException().Message})";
        }
    }

    /// <summary>A link and a batch of a published func, so that the call routes read their bodies.</summary>
    private async Task<(string Link, string Batch)> CallEntitiesAsync()
    {
        var set = SharedServerFixture.UniqueId("sweep");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, _admin)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = "@DFF.API('Echo')\ndef echo(**kwargs):\n    return kwargs\n" }, _admin)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{set}__main/publish", null, _admin)).AssertOk();
        var link = (await Server.PostAsync("/api/v1/auth-links", new { funcId = $"{set}__main.echo" }, _admin)).AssertOk().GetProperty("id").GetString()!;
        var batch = (await Server.PostAsync("/api/v1/batches", new { funcId = $"{set}__main.echo" }, _admin)).AssertOk().GetProperty("id").GetString()!;
        return (link, batch);
    }

    private static bool IsEnvelope(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("ok", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static StringContent Typed(string text, string contentType) =>
        new(text, Encoding.UTF8) { Headers = { ContentType = MediaTypeHeaderValue.Parse(contentType) } };

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Placeholder();
}
