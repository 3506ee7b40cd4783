using System.Net.Http.Json;
using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Funcs;

/// <summary>
/// <c>_DFF_HTTP_REQUEST</c> in the runs an HTTP request starts besides auth links, as DataFlux Func gives it: a direct
/// call of <c>/api/v1/func/…</c> and the editor's Run get their request, less the caller's credentials.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class HttpRequestVariableTests(SharedServerFixture fixture)
{
    private const string Code =
        "@DFF.API('Request')\ndef request():\n    r = _DFF_HTTP_REQUEST\n" +
        "    return {'method': r['method'], 'url': r['url'], 'probe': r['headers'].get('X-PROBE'), 'token': r['headers'].get('x-dff-auth-token')}\n";

    private TestServer Server => fixture.Server;

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
        var set = SharedServerFixture.UniqueId("hr");
        var script = $"{set}__main";
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, fixture.AdminToken)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = script, codeDraft = Code }, fixture.AdminToken)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{script}/publish", null, fixture.AdminToken)).AssertOk();

        var direct = $"/api/v1/func/{script}.request";
        AssertSeen(await CallAsync(direct, new { kwargs = new { } }), direct);
        var editor = $"/api/v1/scripts/{script}/run";
        AssertSeen(await CallAsync(editor, new { funcName = "request", kwargs = new { } }), editor);
    }
}
