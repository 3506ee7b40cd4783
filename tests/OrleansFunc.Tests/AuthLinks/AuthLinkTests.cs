using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.AuthLinks;

/// <summary>Auth links: management and every call form, through HTTP (SPEC M2, A).</summary>
[Collection(SharedServerCollection.Name)]
public sealed class AuthLinkTests(SharedServerFixture fixture)
{
    private const string Code =
        "@DFF.API('Echo')\ndef echo(a=None, b=None, **rest):\n    return {'a': a, 'b': b, 'rest': rest}\n\n" +
        "@DFF.API('Text')\ndef text(value='hello'):\n    return value\n\n" +
        "@DFF.API('Falsy')\ndef falsy(kind='none'):\n    return {'none': None, 'false': False, 'zero': 0, 'empty': ''}[kind]\n\n" +
        "@DFF.API('Number')\ndef number():\n    return 42\n\n" +
        "@DFF.API('Csv')\ndef csv():\n    return DFF.RESP('a,b\\n1,2', status_code=201, content_type='csv', headers={'X-Kind': 'report'}, download='r.csv')\n\n" +
        "@DFF.API('Fail')\ndef fail():\n    raise ValueError('no good')\n\n" +
        "@DFF.API('Upload')\ndef upload(files=None, note=None):\n    return {'note': note, 'files': [{'name': f['originalname'], 'size': f['size'], 'type': f['mimetype'], 'content': open(f['filePath'], 'rb').read().decode()} for f in files]}\n\n" +
        "@DFF.API('Request')\ndef request(**kwargs):\n    r = _DFF_HTTP_REQUEST\n    return {'method': r['method'], 'url': r['url'], 'originalUrl': r['originalUrl'], 'agent': r['headers']['X-TEST-HEADER'], 'query': r['query'], 'xhr': r['xhr'], 'userAgent': r['headers'].get('user-agent')}\n\n" +
        "@DFF.API('File')\ndef file(name='report.txt', download=True):\n    return DFF.RESP_FILE(name, download=download != 'no')\n\n" +
        "@DFF.API('Large')\ndef large():\n    return DFF.RESP_LARGE_DATA({'rows': list(range(1000))})\n\n" +
        "@DFF.API('Slow')\ndef slow():\n    import time\n    time.sleep(10)\n    return 'late'\n\n" +
        "@DFF.API('Lone')\ndef lone(kind='str'):\n    return {'str': lambda: print('log \\udc00') or '\\ud800', 'dict': lambda: {'a\\udc00': 1}, 'resp': lambda: DFF.RESP('x\\ud800'), 'cache': lambda: DFF.CACHE.set('k\\ud800', 'v\\ud800'), 'store': lambda: DFF.STORE.set('k\\ud800', 'v\\ud800'), 'env': lambda: DFF.ENV('e\\ud800'), 'func': lambda: DFF.FUNC('f\\ud800'), 'nul-store': lambda: DFF.STORE.set('k\\x00', 'a\\x00b') or DFF.STORE.get('k\\x00'), 'nul-cache': lambda: DFF.CACHE.set('k\\x00', 'a\\x00b') or DFF.CACHE.get('k\\x00')}[kind]()\n\n" +
        "import uuid\n\n@DFF.API('Cached', cache_result=30)\ndef cached(x=0):\n    return {'x': x, 'run': uuid.uuid4().hex}\n";

    private TestServer Server => fixture.Server;
    private string Token => fixture.AdminToken;

    private async Task<string> ScriptAsync()
    {
        var set = SharedServerFixture.UniqueId("al");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, Token)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = Code }, Token)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{set}__main/publish", null, Token)).AssertOk();
        return $"{set}__main";
    }

    private async Task<string> LinkAsync(string funcId, object? kwargs = null, object? throttling = null, string? expireTime = null)
    {
        var link = (await Server.PostAsync("/api/v1/auth-links",
            new { funcId, funcCallKwargs = kwargs ?? new { }, throttling, expireTime }, Token)).AssertOk();
        return link.GetProperty("id").GetString()!;
    }

    private async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> CallAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        var response = await Server.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    [Fact]
    public async Task Link_CreateGetUpdateListDelete_RoundTrips()
    {
        var script = await ScriptAsync();
        var id = await LinkAsync($"{script}.echo");
        Assert.StartsWith("auln-", id);
        var custom = SharedServerFixture.UniqueId("my-link-");
        (await Server.PostAsync("/api/v1/auth-links", new { id = custom, funcId = $"{script}.echo", note = "n" }, Token)).AssertOk();
        (await Server.PostAsync("/api/v1/auth-links", new { id = custom, funcId = $"{script}.echo" }, Token)).AssertError(409.42);
        (await Server.PostAsync("/api/v1/auth-links", new { id = "bad id!", funcId = $"{script}.echo" }, Token)).AssertError(400.43);
        (await Server.PostAsync("/api/v1/auth-links", new { funcId = $"{script}.nope" }, Token)).AssertError(404.41);
        (await Server.PostAsync("/api/v1/auth-links", new { funcId = $"{script}.echo", throttling = new { bySecond = 0 } }, Token)).AssertError(400.43);
        (await Server.PostAsync("/api/v1/auth-links", new { funcId = $"{script}.echo", expireTime = "soon" }, Token)).AssertError(400.43);

        var updated = (await Server.PatchAsync($"/api/v1/auth-links/{custom}", new { showInDoc = true, expireTime = "2099-01-01T00:00:00Z" }, Token)).AssertOk();
        Assert.True(updated.GetProperty("showInDoc").GetBoolean());
        Assert.Equal("n", updated.GetProperty("note").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Object, updated.GetProperty("funcCallKwargs").ValueKind);
        var cleared = (await Server.PatchAsync($"/api/v1/auth-links/{custom}", new { expireTime = (string?)null }, Token)).AssertOk();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cleared.GetProperty("expireTime").ValueKind);
        Assert.Contains(custom, await Server.ListAllIdsAsync("/api/v1/auth-links", Token));
        (await Server.DeleteAsync($"/api/v1/auth-links/{custom}", Token)).AssertOk();
        (await Server.GetAsync($"/api/v1/auth-links/{custom}", Token)).AssertError(404.41);
        Assert.Equal(HttpStatusCode.NotFound, (await CallAsync(HttpMethod.Get, $"/api/v1/al/{custom}")).Status);
    }

    [Fact]
    public async Task Call_StandardForm_TakesKwargsFromQueryJsonBodyOrForm()
    {
        var id = await LinkAsync($"{await ScriptAsync()}.echo");
        var query = await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}?kwargs={Uri.EscapeDataString("{\"a\": 1}")}");
        Assert.Equal("{\"a\": 1, \"b\": null, \"rest\": {}}", query.Body);
        Assert.Equal("application/json", query.Response.Content.Headers.ContentType!.MediaType);

        var body = await CallAsync(HttpMethod.Post, $"/api/v1/al/{id}", new StringContent("{\"kwargs\": {\"a\": [1, 2], \"x\": true}}", Encoding.UTF8, "application/json"));
        Assert.Equal("{\"a\": [1, 2], \"b\": null, \"rest\": {\"x\": true}}", body.Body);

        var asString = await CallAsync(HttpMethod.Post, $"/api/v1/al/{id}", new StringContent("{\"kwargs\": \"{\\\"b\\\": 2}\"}", Encoding.UTF8, "application/json"));
        Assert.Equal("{\"a\": null, \"b\": 2, \"rest\": {}}", asString.Body);

        var form = await CallAsync(HttpMethod.Post, $"/api/v1/al/{id}", new FormUrlEncodedContent(new Dictionary<string, string> { ["kwargs"] = "{\"a\": \"f\"}" }));
        Assert.Equal("{\"a\": \"f\", \"b\": null, \"rest\": {}}", form.Body);

        var bad = await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}?kwargs=not-json");
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Contains("400.43", bad.Body);
        var option = await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}?options={Uri.EscapeDataString("{\"funcId\": \"x\"}")}");
        Assert.Equal(HttpStatusCode.BadRequest, option.Status);
    }

    [Fact]
    public async Task Call_CallerOptions_ChooseTheRendering_AndAreWhitelisted()
    {
        var script = await ScriptAsync();
        var id = await LinkAsync($"{script}.echo");
        string Options(object options) => Uri.EscapeDataString(System.Text.Json.JsonSerializer.Serialize(options));

        var dumped = await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}?kwargs={Uri.EscapeDataString("{\"a\": 1}")}&options={Options(new { returnType = "jsonDumps" })}");
        Assert.Equal("{\"a\": 1, \"b\": null, \"rest\": {}}", dumped.Body);
        Assert.Equal("text/html", dumped.Response.Content.Headers.ContentType!.MediaType);

        foreach (var boxing in new object[] { new { unbox = false }, new { unfold = false, execMode = "sync" } })
        {
            var boxed = await CallAsync(HttpMethod.Post, $"/api/v1/al/{id}",
                JsonContent.Create(new { kwargs = new { a = 2 }, options = boxing }));
            using var envelope = System.Text.Json.JsonDocument.Parse(boxed.Body);
            Assert.True(envelope.RootElement.GetProperty("ok").GetBoolean());
            Assert.Equal(2, envelope.RootElement.GetProperty("data").GetProperty("result").GetProperty("a").GetInt32());
        }

        var slow = await LinkAsync($"{script}.slow");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var stopped = await CallAsync(HttpMethod.Get, $"/api/v1/al/{slow}?options={Options(new { apiTimeout = 1 })}");
        Assert.Equal(599, (int)stopped.Status);
        Assert.Contains("time limit", stopped.Body);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"apiTimeout 1 s answered after {clock.Elapsed}");

        foreach (var refused in new object[]
                 {
                     new { returnType = "repr" }, new { unbox = "no" }, new { execMode = "async" }, new { apiTimeout = 500 },
                     new { delay = 5 }, new { queue = 1 },
                 })
        {
            var bad = await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}?options={Options(refused)}");
            Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
            Assert.Contains("InvalidOptions", bad.Body);
        }
    }

    [Fact]
    public async Task Call_SimplifiedForm_MakesEveryFieldAKwarg()
    {
        var id = await LinkAsync($"{await ScriptAsync()}.echo");
        Assert.Equal("{\"a\": \"1\", \"b\": \"x\", \"rest\": {}}", (await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}/simplified?a=1&b=x")).Body);
        Assert.Equal("{\"a\": \"1\", \"b\": null, \"rest\": {}}", (await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}/s/any/trailing/path?a=1")).Body);
        var form = await CallAsync(HttpMethod.Post, $"/api/v1/al/{id}/simplified", new FormUrlEncodedContent(new Dictionary<string, string> { ["a"] = "2" }));
        Assert.Equal("{\"a\": \"2\", \"b\": null, \"rest\": {}}", form.Body);
        var text = await CallAsync(HttpMethod.Post, $"/api/v1/al/{id}/simplified", new StringContent("plain words", Encoding.UTF8, "text/plain"));
        Assert.Equal("{\"a\": null, \"b\": null, \"rest\": {\"text\": \"plain words\"}}", text.Body);
        // As DataFlux Func's body parser: only text/plain is text; any other text type is raw, as base64.
        var csv = await CallAsync(HttpMethod.Post, $"/api/v1/al/{id}/simplified", new StringContent("a,b", Encoding.UTF8, "text/csv"));
        Assert.Equal("{\"a\": null, \"b\": null, \"rest\": {\"base64\": \"YSxi\"}}", csv.Body);
        var plainWithCharset = await CallAsync(HttpMethod.Post, $"/api/v1/al/{id}/simplified",
            new StringContent("x", Encoding.UTF8) { Headers = { ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("Text/Plain; charset=utf-8") } });
        Assert.Equal("{\"a\": null, \"b\": null, \"rest\": {\"text\": \"x\"}}", plainWithCharset.Body);
        var raw = await CallAsync(HttpMethod.Post, $"/api/v1/al/{id}/simplified", new ByteArrayContent([1, 2, 3]) { Headers = { ContentType = new("application/octet-stream") } });
        Assert.Equal("{\"a\": null, \"b\": null, \"rest\": {\"base64\": \"AQID\"}}", raw.Body);
        Assert.Equal(HttpStatusCode.NotFound, (await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}/weird")).Status);
    }

    [Fact]
    public async Task Call_RepeatedAndBracketedFields_AreListsAndObjects_AsExpressGivesThemToDataFluxFunc()
    {
        var id = await LinkAsync($"{await ScriptAsync()}.echo");
        var expected = JsonNode.Parse("""{"a": ["1", "2"], "b": {"name": "x"}, "rest": {"tags": ["p", "q"]}}""");
        void AssertEchoed((HttpStatusCode Status, string Body, HttpResponseMessage Response) call)
        {
            Assert.Equal(HttpStatusCode.OK, call.Status);
            Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(call.Body)), call.Body);
        }
        const string fields = "a=1&a=2&b%5Bname%5D=x&tags%5B%5D=p&tags%5B%5D=q";
        AssertEchoed(await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}/simplified?{fields}"));
        AssertEchoed(await CallAsync(HttpMethod.Post, $"/api/v1/al/{id}/simplified", new StringContent(fields, Encoding.UTF8, "application/x-www-form-urlencoded")));
        var multipart = new MultipartFormDataContent();
        foreach (var (name, value) in new[] { ("a", "1"), ("a", "2"), ("b[name]", "x"), ("tags[]", "p"), ("tags[]", "q") })
        {
            multipart.Add(new StringContent(value), name);
        }
        AssertEchoed(await CallAsync(HttpMethod.Post, $"/api/v1/al/{id}/simplified", multipart));

        // The standard form takes kwargs as JSON text or as fields of their own.
        expected = JsonNode.Parse("""{"a": ["1", "2"], "b": {"name": "x"}, "rest": {}}""");
        AssertEchoed(await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}?kwargs%5Ba%5D=1&kwargs%5Ba%5D=2&kwargs%5Bb%5D%5Bname%5D=x"));
        AssertEchoed(await CallAsync(HttpMethod.Post, $"/api/v1/al/{id}",
            new StringContent("kwargs%5Ba%5D%5B%5D=1&kwargs%5Ba%5D%5B%5D=2&kwargs%5Bb%5D%5Bname%5D=x", Encoding.UTF8, "application/x-www-form-urlencoded")));
    }

    [Fact]
    public async Task TextThatIsNoCharacter_IsAnsweredOrRefusedInWords_AndTheWorkerLivesOn()
    {
        var id = await LinkAsync($"{await ScriptAsync()}.lone");
        foreach (var kind in new[] { "str", "dict", "resp" })
        {
            foreach (var path in new[] { $"/api/v1/al/{id}/s?kind={kind}", $"/api/v1/al/{id}?kwargs=%7B%22kind%22%3A%22{kind}%22%7D" })
            {
                // No character crosses as UTF-8: it is answered as U+FFFD, as Express sent it, and the worker lives on.
                var call = await CallAsync(HttpMethod.Get, path);
                Assert.True(call.Status == HttpStatusCode.OK, $"{path}: {(int)call.Status} {call.Body}");
                Assert.True(call.Body.Contains('\uFFFD') || call.Body.Contains("\\ufffd", StringComparison.OrdinalIgnoreCase), call.Body);
            }
        }
        // Asking the silo with such text (a callback) is an error the script sees, saying why.
        foreach (var kind in new[] { "cache", "store", "env", "func" })
        {
            var call = await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}/s?kind={kind}");
            Assert.True((int)call.Status == 599, $"{kind}: {(int)call.Status} {call.Body}");
            Assert.Contains(kind == "func" ? "needs a func ID" : "lone surrogate", call.Body);
        }
        // A NUL character: the cache keeps it, PostgreSQL (DFF.STORE) cannot, and says so in words.
        Assert.Equal("true", (await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}/s?kind=nul-cache")).Body);
        var store = await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}/s?kind=nul-store");
        Assert.True((int)store.Status == 599, store.Body);
        Assert.Contains("stores no NUL character", store.Body);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}/s?kind=str")).Status);
    }

    /// <summary>Express's body parsers (qs, multer) keep a field's name as sent; ASP.NET's form collection merges names
    /// that differ in case only, as its <c>Request.Query</c> does.</summary>
    [Fact]
    public async Task Call_FormFieldNames_KeepTheirCase_AsExpressGivesThemToDataFluxFunc()
    {
        var id = await LinkAsync($"{await ScriptAsync()}.echo");
        void AssertEchoed(string expected, (HttpStatusCode Status, string Body, HttpResponseMessage Response) call)
        {
            Assert.Equal(HttpStatusCode.OK, call.Status);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(call.Body)), call.Body);
        }
        const string fields = "a=1&A=2&Tag=x&tag=y&Tag=z";
        const string echoed = """{"a": "1", "b": null, "rest": {"A": "2", "Tag": ["x", "z"], "tag": "y"}}""";
        AssertEchoed(echoed, await CallAsync(HttpMethod.Post, $"/api/v1/al/{id}/s", new StringContent(fields, Encoding.UTF8, "application/x-www-form-urlencoded")));
        var multipart = new MultipartFormDataContent();
        foreach (var (name, value) in new[] { ("a", "1"), ("A", "2"), ("Tag", "x"), ("tag", "y"), ("Tag", "z") })
        {
            multipart.Add(new StringContent(value), name);
        }
        AssertEchoed(echoed, await CallAsync(HttpMethod.Post, $"/api/v1/al/{id}/s", multipart));
        AssertEchoed("""{"a": "1", "b": null, "rest": {"A": "2"}}""", await CallAsync(HttpMethod.Post, $"/api/v1/al/{id}",
            new StringContent("kwargs%5Ba%5D=1&kwargs%5BA%5D=2", Encoding.UTF8, "application/x-www-form-urlencoded")));

        // With a file, the fields are read as sent too, and the file still reaches the func.
        using var withFile = new MultipartFormDataContent { { new StringContent("1"), "a" }, { new StringContent("2"), "A" }, { new ByteArrayContent([1, 2, 3]), "upload", "data.bin" } };
        var call = await CallAsync(HttpMethod.Post, $"/api/v1/al/{id}/s", withFile);
        Assert.Equal(HttpStatusCode.OK, call.Status);
        var seen = JsonNode.Parse(call.Body)!;
        Assert.Equal("1", (string?)seen["a"]);
        Assert.Equal("2", (string?)seen["rest"]!["A"]);
        Assert.Equal("data.bin", (string?)seen["rest"]!["files"]![0]!["originalname"]);

        // A form past the server's field limit, or one that is not multipart at all, is the caller's error.
        var tooMany = string.Join("&", Enumerable.Range(0, 1100).Select(i => $"f{i}=x"));
        var overLimit = await CallAsync(HttpMethod.Post, $"/api/v1/al/{id}/s", new StringContent(tooMany, Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.BadRequest, overLimit.Status);
        Assert.Contains("count limit", overLimit.Body);
        var broken = await CallAsync(HttpMethod.Post, $"/api/v1/al/{id}/s", new StringContent("not a multipart body", Encoding.UTF8)
        {
            Headers = { ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz") },
        });
        Assert.Equal(HttpStatusCode.BadRequest, broken.Status);
        Assert.Contains("InvalidBody", broken.Body);
    }

    [Fact]
    public async Task Call_KwargsTemplate_FollowsThePlaceholderRules()
    {
        var id = await LinkAsync($"{await ScriptAsync()}.echo", new { a = "INPUT_BY_CALLER", b = "fixed" });
        Assert.Equal("{\"a\": 5, \"b\": \"fixed\", \"rest\": {}}", (await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}?kwargs={Uri.EscapeDataString("{\"a\": 5}")}")).Body);
        Assert.Equal("{\"a\": null, \"b\": \"fixed\", \"rest\": {}}", (await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}")).Body);
        Assert.Equal("{\"a\": null, \"b\": \"fixed\", \"rest\": {\"c\": 1}}", (await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}?kwargs={Uri.EscapeDataString("{\"c\": 1}")}")).Body);
        var overridden = await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}?kwargs={Uri.EscapeDataString("{\"b\": 1}")}");
        Assert.Equal(HttpStatusCode.BadRequest, overridden.Status);
        Assert.Contains("FixedKwargsOverridden", overridden.Body);
    }

    [Fact]
    public async Task Call_RendersResultsAsDataFluxFuncDoes()
    {
        var script = await ScriptAsync();
        var text = await CallAsync(HttpMethod.Get, $"/api/v1/al/{await LinkAsync($"{script}.text")}");
        Assert.Equal("hello", text.Body);
        Assert.Equal("text/html", text.Response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(text.Response.Content.Headers.LastModified);
        Assert.Equal("42", (await CallAsync(HttpMethod.Get, $"/api/v1/al/{await LinkAsync($"{script}.number")}")).Body);

        var falsy = await LinkAsync($"{script}.falsy");
        foreach (var kind in new[] { "none", "false", "zero", "empty" })
        {
            var empty = await CallAsync(HttpMethod.Get, $"/api/v1/al/{falsy}/simplified?kind={kind}");
            Assert.Equal(HttpStatusCode.OK, empty.Status);
            Assert.Equal("", empty.Body);
        }

        var csv = await CallAsync(HttpMethod.Get, $"/api/v1/al/{await LinkAsync($"{script}.csv")}");
        Assert.Equal(HttpStatusCode.Created, csv.Status);
        Assert.Equal("a,b\n1,2", csv.Body);
        Assert.Equal("text/csv", csv.Response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("report", csv.Response.Headers.GetValues("X-Kind").Single());
        Assert.Equal("r.csv", csv.Response.Content.Headers.ContentDisposition!.FileName);

        var fail = await CallAsync(HttpMethod.Get, $"/api/v1/al/{await LinkAsync($"{script}.fail")}");
        Assert.Equal((HttpStatusCode)599, fail.Status);
        Assert.Contains("\"error\":599.3", fail.Body);
        Assert.Contains("ValueError: no good", fail.Body);
    }

    [Fact]
    public async Task Call_OfADisabledOrExpiredLink_Returns403_21()
    {
        var script = await ScriptAsync();
        var disabled = await LinkAsync($"{script}.text");
        (await Server.PatchAsync($"/api/v1/auth-links/{disabled}", new { isDisabled = true }, Token)).AssertOk();
        var refused = await CallAsync(HttpMethod.Get, $"/api/v1/al/{disabled}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("AuthLinkDisabled", refused.Body);

        var expired = await LinkAsync($"{script}.text", expireTime: DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"));
        var late = await CallAsync(HttpMethod.Get, $"/api/v1/al/{expired}");
        Assert.Equal(HttpStatusCode.Forbidden, late.Status);
        Assert.Contains("AuthLinkExpired", late.Body);
    }

    [Fact]
    public async Task ALinkAdmittedByTheHostsView_TakesEveryChangeAtOnce()
    {
        var script = await ScriptAsync();
        var id = await LinkAsync($"{script}.text", kwargs: new { value = "one" });
        async Task<(HttpStatusCode Status, string Body)> Call()
        {
            var (status, body, _) = await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}");
            return (status, body);
        }
        Assert.Equal((HttpStatusCode.OK, "one"), await Call());
        Assert.Equal((HttpStatusCode.OK, "one"), await Call());

        (await Server.PatchAsync($"/api/v1/auth-links/{id}", new { funcCallKwargs = new { value = "two" } }, Token)).AssertOk();
        Assert.Equal((HttpStatusCode.OK, "two"), await Call());

        // A limit makes the grain count every call again.
        (await Server.PatchAsync($"/api/v1/auth-links/{id}", new { throttling = new { byHour = 1 } }, Token)).AssertOk();
        if (DateTimeOffset.UtcNow is { Minute: 59, Second: > 55 } late)
        {
            await Task.Delay(TimeSpan.FromSeconds(61 - late.Second));
        }
        Assert.Equal(HttpStatusCode.OK, (await Call()).Status);
        Assert.Equal((HttpStatusCode)429, (await Call()).Status);

        (await Server.PatchAsync($"/api/v1/auth-links/{id}", new { throttling = new { }, isDisabled = true }, Token)).AssertOk();
        var disabled = await Call();
        Assert.Equal(HttpStatusCode.Forbidden, disabled.Status);
        Assert.Contains("AuthLinkDisabled", disabled.Body);

        // Expiring soon, not yet: admitted; then refused from the expiry on (a loaded machine only makes that later).
        var expiry = DateTimeOffset.UtcNow.AddSeconds(8);
        (await Server.PatchAsync($"/api/v1/auth-links/{id}", new { isDisabled = false, expireTime = expiry.ToString("O") }, Token)).AssertOk();
        var beforeExpiry = await Call();
        Assert.True(beforeExpiry == (HttpStatusCode.OK, "two") || DateTimeOffset.UtcNow >= expiry, $"refused before its expiry: {beforeExpiry}");
        var expired = await Eventually.ValueAsync("the link to expire", Call, answer => answer.Status != HttpStatusCode.OK);
        Assert.True(DateTimeOffset.UtcNow >= expiry, "refused before its expiry");
        Assert.Equal(HttpStatusCode.Forbidden, expired.Status);
        Assert.Contains("AuthLinkExpired", expired.Body);

        (await Server.DeleteAsync($"/api/v1/auth-links/{id}", Token)).AssertOk();
        Assert.Equal(HttpStatusCode.NotFound, (await Call()).Status);
    }

    [Fact]
    public async Task AThrottledLinkAdmittedFromTheHostsShare_CountsEveryCall_AndTakesEveryChangeAtOnce()
    {
        var id = await LinkAsync($"{await ScriptAsync()}.text", throttling: new { byHour = 100 });
        async Task<(HttpStatusCode Status, string Body)> Call()
        {
            var (status, body, _) = await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}");
            return (status, body);
        }
        if (DateTimeOffset.UtcNow is { Minute: 59, Second: > 30 } late)
        {
            await Task.Delay(TimeSpan.FromSeconds(61 - late.Second));
        }
        // Shares of an eighth of the room at most, none once under 32 are left: the hundred-and-first call is refused, as
        // the grain alone would refuse it.
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Call()).Status);
        }
        var refused = await Call();
        Assert.Equal((HttpStatusCode)429, refused.Status);
        using (var body = System.Text.Json.JsonDocument.Parse(refused.Body))
        {
            Assert.Equal(101, body.RootElement.GetProperty("detail").GetProperty("currentCount").GetInt32());
        }

        // A higher limit: the host takes a share again; a lower one refuses the very next call.
        (await Server.PatchAsync($"/api/v1/auth-links/{id}", new { throttling = new { byHour = 1000 } }, Token)).AssertOk();
        Assert.Equal(HttpStatusCode.OK, (await Call()).Status);
        Assert.Equal(HttpStatusCode.OK, (await Call()).Status);
        (await Server.PatchAsync($"/api/v1/auth-links/{id}", new { throttling = new { byHour = 103 } }, Token)).AssertOk();
        Assert.Equal((HttpStatusCode)429, (await Call()).Status);

        (await Server.PatchAsync($"/api/v1/auth-links/{id}", new { isDisabled = true }, Token)).AssertOk();
        Assert.Equal(HttpStatusCode.Forbidden, (await Call()).Status);
        (await Server.PatchAsync($"/api/v1/auth-links/{id}", new { isDisabled = false, throttling = new { } }, Token)).AssertOk();
        Assert.Equal(HttpStatusCode.OK, (await Call()).Status);
        (await Server.DeleteAsync($"/api/v1/auth-links/{id}", Token)).AssertOk();
        Assert.Equal(HttpStatusCode.NotFound, (await Call()).Status);
    }

    [Fact]
    public async Task Call_OverTheThrottle_Returns429_46WithWaitSeconds()
    {
        // An hour's window: the calls below stay inside one (the windows themselves: ThrottleRulesTests).
        var id = await LinkAsync($"{await ScriptAsync()}.text", throttling: new { byHour = 3 });
        if (DateTimeOffset.UtcNow is { Minute: 59, Second: > 50 } late)
        {
            await Task.Delay(TimeSpan.FromSeconds(61 - late.Second));
        }
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}")).Status);
        }
        var throttled = await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}");
        Assert.Equal((HttpStatusCode)429, throttled.Status);
        using var body = System.Text.Json.JsonDocument.Parse(throttled.Body);
        Assert.Equal(429.46, body.RootElement.GetProperty("error").GetDouble());
        var detail = body.RootElement.GetProperty("detail");
        Assert.Equal("byHour", detail.GetProperty("rule").GetString());
        Assert.Equal(4, detail.GetProperty("currentCount").GetInt32());
        Assert.InRange(detail.GetProperty("waitSeconds").GetInt32(), 1, 3600);
    }

    [Fact]
    public async Task PerCallerLimits_KeepOneNoisyCallerFromUsingUpTheLink()
    {
        // A day's windows: the calls below stay inside one (the windows themselves: ThrottleRulesTests).
        var script = await ScriptAsync();
        var id = await LinkAsync($"{script}.text", throttling: new { byDay = 5, perCaller = new { by = "header:X-Api-Key", byDay = 2 } });
        async Task<(HttpStatusCode Status, string Body)> Call(string? key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/al/{id}");
            if (key is not null)
            {
                request.Headers.Add("X-Api-Key", key);
            }
            var response = await Server.Http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        string Rule((HttpStatusCode Status, string Body) refused)
        {
            Assert.Equal((HttpStatusCode)429, refused.Status);
            using var body = System.Text.Json.JsonDocument.Parse(refused.Body);
            return body.RootElement.GetProperty("detail").GetProperty("rule").GetString()!;
        }

        Assert.Equal(HttpStatusCode.OK, (await Call("noisy")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Call("noisy")).Status);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("perCaller.byDay", Rule(await Call("noisy")));
        }
        // The noisy caller's refused calls did not use up the link: the others still have its 3 calls left.
        Assert.Equal(HttpStatusCode.OK, (await Call("quiet")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Call("quiet")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Call(null)).Status);
        Assert.Equal("byDay", Rule(await Call("third")));

        var byAddress = await LinkAsync($"{script}.text", throttling: new { perCaller = new { by = "ip", byDay = 1 } });
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(HttpMethod.Get, $"/api/v1/al/{byAddress}")).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await CallAsync(HttpMethod.Get, $"/api/v1/al/{byAddress}")).Status);
        // A caller cannot pass for another address by naming one: X-Forwarded-For counts only from a trusted proxy.
        using (var spoofed = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/al/{byAddress}"))
        {
            spoofed.Headers.Add("X-Forwarded-For", "10.9.9.9");
            Assert.Equal(HttpStatusCode.TooManyRequests, (await Server.Http.SendAsync(spoofed)).StatusCode);
        }

        (await Server.PostAsync("/api/v1/auth-links", new { funcId = $"{script}.text", throttling = new { perCaller = new { by = "cookie", byDay = 1 } } }, Token))
            .AssertError(400.43, "EClientBadRequest.InvalidThrottling");
        var shown = (await Server.GetAsync($"/api/v1/auth-links/{id}", Token)).AssertOk().GetProperty("throttling").GetProperty("perCaller");
        Assert.Equal("header:X-Api-Key", shown.GetProperty("by").GetString());
    }

    [Fact]
    public async Task AuthLinkFuncList_IsPublic_ShowsDocumentedLinksWithTheirFuncs_AndFilters()
    {
        var script = await ScriptAsync();
        var shown = await LinkAsync($"{script}.echo");
        (await Server.PatchAsync($"/api/v1/auth-links/{shown}", new { showInDoc = true }, Token)).AssertOk();
        var alsoShown = await LinkAsync($"{script}.text");
        (await Server.PatchAsync($"/api/v1/auth-links/{alsoShown}", new { showInDoc = true }, Token)).AssertOk();
        await LinkAsync($"{script}.number");

        var all = (await Server.GetAsync($"/api/v1/auth-link-func-list?scriptId={script}&pageSize=100")).AssertOk();
        Assert.Equal(new[] { shown, alsoShown }.Order(), all.EnumerateArray().Select(d => d.GetProperty("id").GetString()!).Order());
        var echo = all.EnumerateArray().Single(d => d.GetProperty("id").GetString() == shown);
        Assert.Equal($"/api/v1/al/{shown}", echo.GetProperty("url").GetString());
        Assert.Equal("echo", echo.GetProperty("funcName").GetString());
        Assert.Equal("Echo", echo.GetProperty("funcTitle").GetString());
        Assert.Equal("general", echo.GetProperty("funcCategory").GetString());

        var byName = (await Server.GetAsync($"/api/v1/auth-link-func-list?scriptId={script}&funcName=text")).AssertOk();
        Assert.Equal(alsoShown, Assert.Single(byName.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(0, (await Server.GetAsync($"/api/v1/auth-link-func-list?scriptId={script}&funcTags=nope")).AssertOk().GetArrayLength());
    }

    [Fact]
    public async Task CallExamples_CoverEveryForm_AndTheirUrlsWork()
    {
        var id = await LinkAsync($"{await ScriptAsync()}.echo", new { a = "INPUT_BY_CALLER", b = "fixed" });
        var examples = (await Server.GetAsync($"/api/v1/auth-links/{id}/examples", Token)).AssertOk().EnumerateArray().ToList();
        Assert.Equal(["standard GET", "standard POST", "simplified GET", "simplified POST"],
            examples.Select(e => $"{e.GetProperty("form").GetString()} {e.GetProperty("method").GetString()}").ToArray());
        Assert.All(examples, e => Assert.Contains("requests", e.GetProperty("python").GetString()));
        Assert.All(examples, e => Assert.StartsWith("curl", e.GetProperty("curl").GetString()));
        Assert.DoesNotContain("fixed", examples[0].GetProperty("url").GetString());

        // The GET examples call the link as they stand.
        foreach (var example in examples.Where(e => e.GetProperty("method").GetString() == "GET"))
        {
            var (status, body, _) = await CallAsync(HttpMethod.Get, example.GetProperty("url").GetString()!);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("\"a\": \"value\"", body);
        }
    }

    [Fact]
    public async Task DocsExamples_WithoutSignIn_AreGivenOnlyForLinksShownInTheDocs()
    {
        var script = await ScriptAsync();
        var shown = (await Server.PostAsync("/api/v1/auth-links",
            new { funcId = $"{script}.echo", funcCallKwargs = new { a = "INPUT_BY_CALLER" }, showInDoc = true }, Token)).AssertOk().GetProperty("id").GetString()!;
        var hidden = await LinkAsync($"{script}.echo");

        var examples = (await Server.GetAsync($"/api/v1/auth-link-func-list/{shown}/examples")).AssertOk().EnumerateArray().ToList();
        var signedIn = (await Server.GetAsync($"/api/v1/auth-links/{shown}/examples", Token)).AssertOk().EnumerateArray().ToList();
        Assert.Equal(signedIn.Select(e => e.GetRawText()), examples.Select(e => e.GetRawText()));
        (await Server.GetAsync($"/api/v1/auth-link-func-list/{hidden}/examples")).AssertError(404.41);
        (await Server.GetAsync("/api/v1/auth-link-func-list/no_such_link/examples")).AssertError(404.41);
    }

    [Fact]
    public async Task Call_OfACacheResultFunc_ServesTheCachedResult_ForTheSameKwargs()
    {
        var id = await LinkAsync($"{await ScriptAsync()}.cached");
        var first = await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}/simplified?x=1");
        Assert.False(first.Response.Headers.Contains("X-Dff-Cache"));
        var again = await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}/simplified?x=1");
        Assert.Equal(first.Body, again.Body);
        Assert.Equal("Cached", again.Response.Headers.GetValues("X-Dff-Cache").Single());
        var other = await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}/simplified?x=2");
        Assert.NotEqual(first.Body, other.Body);
        Assert.False(other.Response.Headers.Contains("X-Dff-Cache"));
    }

    [Fact]
    public async Task Call_SimplifiedWithAMultipartUpload_GivesTheFuncItsFiles()
    {
        var id = await LinkAsync($"{await ScriptAsync()}.upload");
        using var form = new MultipartFormDataContent
        {
            { new StringContent("hello"), "note" },
            { new ByteArrayContent("first file"u8.ToArray()) { Headers = { ContentType = new("text/plain") } }, "file", "a.txt" },
            { new ByteArrayContent("second"u8.ToArray()) { Headers = { ContentType = new("application/json") } }, "file", "../../etc/b.json" },
        };
        var (status, body, _) = await CallAsync(HttpMethod.Post, $"/api/v1/al/{id}/simplified", form);
        Assert.Equal(HttpStatusCode.OK, status);
        using var result = System.Text.Json.JsonDocument.Parse(body);
        Assert.Equal("hello", result.RootElement.GetProperty("note").GetString());
        var files = result.RootElement.GetProperty("files");
        Assert.Equal("a.txt", files[0].GetProperty("name").GetString());
        Assert.Equal("first file", files[0].GetProperty("content").GetString());
        Assert.Equal(10, files[0].GetProperty("size").GetInt32());
        Assert.Equal("second", files[1].GetProperty("content").GetString());
        Assert.Equal("application/json", files[1].GetProperty("type").GetString());
    }

    [Fact]
    public async Task LinkStatistics_ShowRecentCallsStatusAndLatency()
    {
        var script = await ScriptAsync();
        var id = await LinkAsync($"{script}.text");
        await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}");
        await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}");
        await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}?kwargs=broken");

        // Front ends send statistics every two seconds.
        var recent = await Eventually.ValueAsync("the link's statistics to count 3 calls",
            async () => (await Server.GetAsync($"/api/v1/auth-links/{id}", Token)).AssertOk().GetProperty("recentCalls"),
            calls => calls.GetProperty("recentCount").GetInt32() >= 3);
        Assert.Equal(3, recent.GetProperty("recentCount").GetInt32());
        Assert.Equal(1, recent.GetProperty("recentFailures").GetInt32());
        Assert.Equal(400, recent.GetProperty("lastStatusCode").GetInt32());
        Assert.True(recent.GetProperty("p99CostMs").GetDouble() > 0);
        var listed = (await Server.ListAllAsync("/api/v1/auth-links", Token))
            .Single(l => l.GetProperty("id").GetString() == id);
        Assert.Equal(3, listed.GetProperty("recentCalls").GetProperty("recentCount").GetInt32());
    }

    [Fact]
    public async Task FailedCalls_LeaveATaskRecord()
    {
        var id = await LinkAsync($"{await ScriptAsync()}.fail");
        Assert.Equal((HttpStatusCode)599, (await CallAsync(HttpMethod.Get, $"/api/v1/al/{id}")).Status);

        // Records of synchronous calls are written in the background, within moments.
        var records = await Eventually.ValueAsync("the failed call's task record",
            async () => (await Server.GetAsync($"/api/v1/task-records?origin=authLink&originId={id}", Token)).AssertOk(),
            found => found.GetArrayLength() > 0);
        var record = Assert.Single(records.EnumerateArray());
        Assert.Equal("failure", record.GetProperty("status").GetString());
        Assert.Equal("ValueError", record.GetProperty("error").GetProperty("type").GetString());
        Assert.EndsWith(".fail", record.GetProperty("funcId").GetString());
    }

    [Fact]
    public async Task Call_SeesTheHttpRequest()
    {
        var id = await LinkAsync($"{await ScriptAsync()}.request");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/al/{id}/s/extra%3A?a=1&t=x&t=y&o%5Bk%5D=v&A=2");
        request.Headers.Add("x-test-header", "probe");
        request.Headers.Add("x-requested-with", "xmlhttprequest");
        using var response = await Server.Http.SendAsync(request);
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("GET", body.RootElement.GetProperty("method").GetString());
        Assert.True(body.RootElement.GetProperty("xhr").GetBoolean()); // Express compares it in any case
        // As Express gives them to DataFlux Func: the path as sent, without its query; the whole target as sent.
        Assert.Equal($"/api/v1/al/{id}/s/extra%3A", body.RootElement.GetProperty("url").GetString());
        Assert.Equal($"/api/v1/al/{id}/s/extra%3A?a=1&t=x&t=y&o%5Bk%5D=v&A=2", body.RootElement.GetProperty("originalUrl").GetString());
        Assert.Equal("probe", body.RootElement.GetProperty("agent").GetString());
        // Names that differ in case only are two fields, as Express reads them (ASP.NET's Request.Query makes them one).
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a": "1", "t": ["x", "y"], "o": {"k": "v"}, "A": "2"}"""),
            JsonNode.Parse(body.RootElement.GetProperty("query").GetRawText())), body.RootElement.GetProperty("query").GetRawText());
    }

    [Fact]
    public async Task Call_SeesAHeaderSentTwice_AsNodeJoinsIt()
    {
        // Node (DataFlux Func's server) joins a header sent twice with ", ", and keeps the first of those it allows once.
        var id = await LinkAsync($"{await ScriptAsync()}.request");
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(Server.Http.BaseAddress!.Host, Server.Http.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET /api/v1/al/{id}/s HTTP/1.0\r\nHost: 127.0.0.1\r\nX-Test-Header: one\r\nX-Test-Header: two\r\n" +
            "User-Agent: first\r\nUser-Agent: second\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadToEndAsync();
        Assert.StartsWith("HTTP/1.1 200", answer);
        var seen = JsonNode.Parse(answer[(answer.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..])!;
        Assert.Equal("one, two", seen["agent"]!.GetValue<string>());
        Assert.Equal("first", seen["userAgent"]!.GetValue<string>());
    }

    [Fact]
    public async Task Call_WithRespFileOrLargeData_SendsTheFile_AndNeverOneOutsideTheResources()
    {
        var script = await ScriptAsync();
        File.WriteAllText(Path.Combine(Server.DataFolder, "resources", "report.txt"), "file body");
        var file = await LinkAsync($"{script}.file");

        var download = await CallAsync(HttpMethod.Get, $"/api/v1/al/{file}");
        Assert.Equal(HttpStatusCode.OK, download.Status);
        Assert.Equal("file body", download.Body);
        Assert.Equal("report.txt", download.Response.Content.Headers.ContentDisposition!.FileName);
        var inline = await CallAsync(HttpMethod.Get, $"/api/v1/al/{file}/s?download=no");
        Assert.Equal("text/plain", inline.Response.Content.Headers.ContentType!.MediaType);
        Assert.Null(inline.Response.Content.Headers.ContentDisposition);

        var escape = await CallAsync(HttpMethod.Get, $"/api/v1/al/{file}/s?name=../../../../etc/passwd");
        Assert.Equal((HttpStatusCode)599, escape.Status);
        Assert.DoesNotContain("root:", escape.Body);
        Assert.Contains("PermissionError", escape.Body);

        var large = await CallAsync(HttpMethod.Get, $"/api/v1/al/{await LinkAsync($"{script}.large")}");
        Assert.Equal("application/json", large.Response.Content.Headers.ContentType!.MediaType);
        using var rows = System.Text.Json.JsonDocument.Parse(large.Body);
        Assert.Equal(1000, rows.RootElement.GetProperty("rows").GetArrayLength());
        Assert.Empty(Directory.GetFiles(Path.Combine(Server.DataFolder, "resources", ".downloads"), "*.json"));
    }
}
