using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>Direct calls of published funcs: <c>GET|POST /api/v1/func/{funcId}</c> on the sync lane.</summary>
[Collection(SharedServerCollection.Name)]
public sealed class FuncCallTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private string Token => fixture.AdminToken;

    private async Task<string> PublishedScriptAsync(string code)
    {
        var set = SharedServerFixture.UniqueId("fc");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, Token)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = code }, Token)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{set}__main/publish", null, Token)).AssertOk();
        return $"{set}__main";
    }

    [Fact]
    public async Task Call_RunsThePublishedFunc_WithKwargsFromBodyOrQuery()
    {
        var id = await PublishedScriptAsync("@DFF.API('Add')\ndef add(x, y=1):\n    return {'sum': x + y, 'origin': _DFF_ORIGIN}\n");
        var body = (await Server.PostAsync($"/api/v1/func/{id}.add", new { kwargs = new { x = 2, y = 3 } }, Token)).AssertOk();
        Assert.Equal(5, body.GetProperty("result").GetProperty("sum").GetInt32());
        Assert.Equal("direct", body.GetProperty("result").GetProperty("origin").GetString());

        var asString = (await Server.PostAsync($"/api/v1/func/{id}.add", new { kwargs = "{\"x\": 10}" }, Token)).AssertOk();
        Assert.Equal(11, asString.GetProperty("result").GetProperty("sum").GetInt32());

        var query = (await Server.GetAsync($"/api/v1/func/{id}.add?kwargs={Uri.EscapeDataString("{\"x\": 4}")}", Token)).AssertOk();
        Assert.Equal(5, query.GetProperty("result").GetProperty("sum").GetInt32());
    }

    [Fact]
    public async Task Call_OfAFailingFunc_Returns599_3WithTheLastTracebackLine()
    {
        var id = await PublishedScriptAsync("@DFF.API('Fail')\ndef fail():\n    raise KeyError('missing thing')\n");
        var error = (await Server.PostAsync($"/api/v1/func/{id}.fail", new { }, Token)).AssertError(599.3, "EFuncFailed");
        Assert.Equal("KeyError", error.Body.GetProperty("detail").GetProperty("etype").GetString());
        Assert.Equal("KeyError: 'missing thing'", error.Body.GetProperty("detail").GetProperty("einfoTEXT").GetString());
    }

    [Fact]
    public async Task Call_PastItsTimeout_Returns599_31()
    {
        var id = await PublishedScriptAsync("import time\n\n@DFF.API('Slow', timeout=1)\ndef slow():\n    time.sleep(30)\n");
        (await Server.PostAsync($"/api/v1/func/{id}.slow", new { }, Token)).AssertError(599.31, "EFuncTimeout");
    }

    [Fact]
    public async Task Call_WithBadInput_IsRefused()
    {
        var id = await PublishedScriptAsync("@DFF.API('F')\ndef f(**kw):\n    return kw\n\ndef not_exported():\n    return 1\n");
        (await Server.PostAsync($"/api/v1/func/{id}.missing", new { }, Token)).AssertError(404.41, "EClientNotFound.NoSuchFunc");
        (await Server.PostAsync($"/api/v1/func/{id}.not_exported", new { }, Token)).AssertError(404.41);
        (await Server.PostAsync("/api/v1/func/nodot", new { }, Token)).AssertError(404.41);
        (await Server.PostAsync($"/api/v1/func/{id}.f", new { kwargs = new[] { 1 } }, Token)).AssertError(400.43, "EClientBadRequest.InvalidKwargs");
        (await Server.PostAsync($"/api/v1/func/{id}.f", new { kwargs = "{not json" }, Token)).AssertError(400.43);
        (await Server.PostAsync($"/api/v1/func/{id}.f", new { options = new { funcId = "other" } }, Token)).AssertError(400.43, "EClientBadRequest.InvalidOptions");
        (await Server.PostAsync($"/api/v1/func/{id}.f", new { options = new { timeout = 0 } }, Token)).AssertError(400.43);
        (await Server.PostAsync($"/api/v1/func/{id}.f", new { options = new { unbox = true } }, Token)).AssertError(400.43, "EClientBadRequest.InvalidOptions");
        (await Server.PostAsync($"/api/v1/func/{id}.f", new { }, null)).AssertError(401.14);
    }

    [Fact]
    public async Task Call_AfterARepublish_RunsTheNewCodeWithinASecond()
    {
        var id = await PublishedScriptAsync("@DFF.API('V')\ndef version():\n    return 1\n");
        Assert.Equal(1, (await Server.PostAsync($"/api/v1/func/{id}.version", new { }, Token)).AssertOk().GetProperty("result").GetInt32());
        var dumped = (await Server.PostAsync($"/api/v1/func/{id}.version", new { options = new { returnType = "jsonDumps", apiTimeout = 5 } }, Token)).AssertOk();
        Assert.Equal("1", dumped.GetProperty("result").GetString());
        (await Server.PatchAsync($"/api/v1/scripts/{id}", new { codeDraft = "@DFF.API('V')\ndef version():\n    return 2\n" }, Token)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{id}/publish", null, Token)).AssertOk();

        // Each process keeps published code for a second: the new version must be live well within 5 s.
        await Eventually.ValueAsync("the published version 2 to answer", () => VersionAsync(id), version => version == 2, TimeSpan.FromSeconds(5));
    }

    private async Task<int> VersionAsync(string id) =>
        (await Server.PostAsync($"/api/v1/func/{id}.version", new { }, Token)).AssertOk().GetProperty("result").GetInt32();
}
