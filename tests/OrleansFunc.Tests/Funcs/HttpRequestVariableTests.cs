using System.Net.Http.Json;
using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Funcs;

/// <summary>
/// <c>_DFF_HTTP_REQUEST</c> in the runs an HTTP request starts besides auth links, as DataFlux Func gives it: a direct
/// call of <c>/api/v1/func/…</c> and the editor's Run get their request, less the caller's credentials; and the fields
/// DataFlux Func added after 1.x (<c>host</c>, <c>protocol</c>, <c>body</c>), which scripts written for it read.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class HttpRequestVariableTests(SharedServerFixture fixture)
{
    private const string Code =
        "@DFF.API('Request')\ndef request():\n    r = _DFF_HTTP_REQUEST\n" +
        "    return {'method': r['method'], 'url': r['url'], 'probe': r['headers'].get('X-PROBE'), 'token': r['headers'].get('x-dff-auth-token')}\n";

    private const string LaterFieldsCode =
        "@DFF.API('Later fields')\ndef later(**kwargs):\n    r = _DFF_HTTP_REQUEST\n" +
        "    return {'host': r['host'], 'protocol': r['protocol'], 'body': r['body']}\n";

    private TestServer Server => fixture.Server;

    private async Task<string> PublishAsync(string code)
    {
        var set = SharedServerFixture.UniqueId("hr");
        var script = $"{set}__main";
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, fixture.AdminToken)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = script, codeDraft = code }, fixture.AdminToken)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{script}/publish", null, fixture.AdminToken)).AssertOk();
        return script;
    }

    private async Task<JsonElement> CallAsync(string path, object body)
    {
        using var call = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        call.Headers.Add("X-Probe", "seen");
        call.Headers.Add("X-Dff-Auth-Token", fixture.AdminToken);
        using var answer = await Server.Http.SendAsync(call);
        var text = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("data").GetProperty("result").Clone();
    }

    private static void AssertSeen(JsonElement seen, string path)
    {
        Assert.Equal("POST", seen.GetProperty("method").GetString());
        Assert.Equal(path, seen.GetProperty("url").GetString());
        Assert.Equal("seen", seen.GetProperty("probe").GetString());
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("token").ValueKind);
    }

    [Fact]
    public async Task DirectCall_AndEditorRun_SeeTheirRequest_WithoutTheCallersToken()
    {
        var script = await PublishAsync(Code);

        var direct = $"/api/v1/func/{script}.request";
        AssertSeen(await CallAsync(direct, new { kwargs = new { } }), direct);
        var editor = $"/api/v1/scripts/{script}/run";
        AssertSeen(await CallAsync(editor, new { funcName = "request", kwargs = new { } }), editor);
    }

    [Fact]
    public async Task LaterVersionsFields_HostProtocolAndBody_AreThere_AsDataFluxFuncsParsersGiveThem()
    {
        var script = await PublishAsync(LaterFieldsCode);
        var link = (await Server.PostAsync("/api/v1/auth-links", new { funcId = $"{script}.later" }, fixture.AdminToken)).AssertOk().GetProperty("id").GetString()!;
        async Task<JsonElement> SeenAsync(HttpMethod method, string path, HttpContent? content = null)
        {
            using var call = new HttpRequestMessage(method, path) { Content = content };
            using var answer = await Server.Http.SendAsync(call);
            var text = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.IsSuccessStatusCode, text);
            var seen = JsonDocument.Parse(text).RootElement.Clone();
            Assert.Equal($"127.0.0.1:{Server.Http.BaseAddress!.Port}", seen.GetProperty("host").GetString());
            Assert.Equal("http", seen.GetProperty("protocol").GetString());
            return seen.GetProperty("body");
        }

        Assert.Equal("{}", Compact(await SeenAsync(HttpMethod.Get, $"/api/v1/al/{link}/s?a=1")));
        Assert.Equal("""{"a":1,"b":["x"]}""", Compact(await SeenAsync(HttpMethod.Post, $"/api/v1/al/{link}/s", JsonContent.Create(new { a = 1, b = new[] { "x" } }))));
        Assert.Equal("""{"kwargs":{"a":2}}""", Compact(await SeenAsync(HttpMethod.Post, $"/api/v1/al/{link}", JsonContent.Create(new { kwargs = new { a = 2 } }))));
        using var form = new MultipartFormDataContent { { new StringContent("3"), "a" }, { new ByteArrayContent([1, 2, 3]), "upload", "data.bin" } };
        Assert.Equal("""{"a":"3"}""", Compact(await SeenAsync(HttpMethod.Post, $"/api/v1/al/{link}/s", form)));
        Assert.Equal("hello", (await SeenAsync(HttpMethod.Post, $"/api/v1/al/{link}/s", new StringContent("hello"))).GetString());
        // A raw body is the func's as base64 already: not repeated (at four times its size) in the request's description.
        Assert.Equal("{}", Compact(await SeenAsync(HttpMethod.Post, $"/api/v1/al/{link}/s", new ByteArrayContent([0, 1, 2]))));

        var direct = await CallAsync($"/api/v1/func/{script}.later", new { kwargs = new { a = 4 } });
        Assert.Equal("""{"kwargs":{"a":4}}""", Compact(direct.GetProperty("body")));
        Assert.Equal("http", direct.GetProperty("protocol").GetString());
        var editor = await CallAsync($"/api/v1/scripts/{script}/run", new { funcName = "later", kwargs = new { a = 5 } });
        Assert.Equal("""{"funcName":"later","kwargs":{"a":5}}""", Compact(editor.GetProperty("body")));
    }

    /// <summary>The JSON without the spaces Python's encoder puts in.</summary>
    private static string Compact(JsonElement json) => JsonSerializer.Serialize(json);
}
