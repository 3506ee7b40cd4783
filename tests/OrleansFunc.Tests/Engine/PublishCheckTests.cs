using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>The publish check runs the draft in a worker (SPEC S2, S3).</summary>
[Collection(SharedServerCollection.Name)]
public sealed class PublishCheckTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private string Token => fixture.AdminToken;

    private async Task<string> ScriptAsync(string code)
    {
        var set = SharedServerFixture.UniqueId("pc");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, Token)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = code }, Token)).AssertOk();
        return $"{set}__main";
    }

    [Fact]
    public async Task WithTests_AFailingTestFunc_StopsThePublishAtItsLine_AndPassingOnesLetItThrough()
    {
        const string code =
            "@DFF.API('Add')\ndef add(x, y):\n    return x + y\n\n" +
            "def test_add():\n    assert add(1, 2) == 3\n\n" +
            "def test_add_strings():\n    assert add('a', 'b') == 'ab'\n";
        var id = await ScriptAsync(code.Replace("return x + y", "return x - y"));
        // Without asking for tests the check is as before: the broken add publishes.
        (await Server.PostAsync($"/api/v1/scripts/{id}/publish", new { }, Token)).AssertOk();
        var script = (await Server.GetAsync($"/api/v1/scripts/{id}", Token)).AssertOk();
        (await Server.PatchAsync($"/api/v1/scripts/{id}", new { codeDraft = code.Replace("return x + y", "return x * 2 if y == 2 else x + y"),
            prevCodeDraftMD5 = script.GetProperty("codeDraftMD5").GetString() }, Token)).AssertOk();
        var failed = (await Server.PostAsync($"/api/v1/scripts/{id}/publish", new { runTests = true }, Token)).AssertError(400.9);
        Assert.Contains("test_add failed: AssertionError", failed.Message);
        Assert.Equal(6, failed.Body.GetProperty("detail").GetProperty("line").GetInt32());
        Assert.Equal(1, (await Server.GetAsync($"/api/v1/scripts/{id}", Token)).AssertOk().GetProperty("publishVersion").GetInt32());

        script = (await Server.GetAsync($"/api/v1/scripts/{id}", Token)).AssertOk();
        (await Server.PatchAsync($"/api/v1/scripts/{id}", new { codeDraft = code, prevCodeDraftMD5 = script.GetProperty("codeDraftMD5").GetString() }, Token)).AssertOk();
        Assert.Equal(2, (await Server.PostAsync($"/api/v1/scripts/{id}/publish", new { runTests = true }, Token)).AssertOk().GetProperty("publishVersion").GetInt32());
    }

    [Fact]
    public async Task Publish_RecordsEveryExportedFunc()
    {
        var id = await ScriptAsync(
            "@DFF.API('Add two numbers', category='math', tags=['b', 'a', 'b'], timeout=10, cache_result=60)\n" +
            "def add(x, y=2, *rest, **more):\n    '''Adds.\n\n    Returns the sum.\n    '''\n    return x + y\n\n" +
            "@DFF.API('Plain')\ndef plain():\n    return 1\n\ndef not_exported():\n    return 2\n");
        var published = (await Server.PostAsync($"/api/v1/scripts/{id}/publish", null, Token)).AssertOk();
        var funcs = published.GetProperty("funcs").EnumerateArray().ToList();
        Assert.Equal(["add", "plain"], funcs.Select(f => f.GetProperty("name").GetString()!).ToArray());
        var add = funcs[0];
        Assert.Equal($"{id}.add", add.GetProperty("id").GetString());
        Assert.Equal("Add two numbers", add.GetProperty("title").GetString());
        Assert.Equal("Adds.\n\nReturns the sum.", add.GetProperty("description").GetString());
        Assert.Equal("add(x, y=2, *rest, **more)", add.GetProperty("definition").GetString());
        Assert.Equal(["x", "y", "*rest", "**more"], add.GetProperty("args").EnumerateArray().Select(a => a.GetString()!).ToArray());
        Assert.Equal("math", add.GetProperty("category").GetString());
        Assert.Equal(["a", "b"], add.GetProperty("tags").EnumerateArray().Select(a => a.GetString()!).ToArray());
        Assert.Equal(2, add.GetProperty("kwargs").GetProperty("y").GetProperty("default").GetInt32());
        Assert.False(add.GetProperty("kwargs").GetProperty("x").TryGetProperty("default", out _));
        Assert.Equal(60, add.GetProperty("options").GetProperty("cache_result").GetInt32());
        Assert.Equal(10, add.GetProperty("options").GetProperty("timeout").GetInt32());
        Assert.Equal("general", funcs[1].GetProperty("category").GetString());

        var script = (await Server.GetAsync($"/api/v1/scripts/{id}", Token)).AssertOk();
        Assert.Equal(2, script.GetProperty("funcs").GetArrayLength());
    }

    [Theory]
    [InlineData("def f(:\n    pass\n", 1, "SyntaxError")]
    [InlineData("x = 1\ndef f():\n\treturn 1\n", 3, "ScriptCheckError")]
    [InlineData("def f():\n  return 1\n", 2, "ScriptCheckError")]
    [InlineData("x = 1\nraise RuntimeError('top-level fails')\n", 2, "RuntimeError")]
    [InlineData("@DFF.API('T', timeout=99999)\ndef f():\n    pass\n", 1, "ScriptCheckError")]
    [InlineData("@DFF.API('T', no_such_option=1)\ndef f():\n    pass\n", 1, "ScriptCheckError")]
    [InlineData("@DFF.API('A')\ndef f():\n    pass\n\n@DFF.API('B')\ndef f():\n    pass\n", 5, "ScriptCheckError")]
    public async Task Publish_OfABadDraft_NamesTheFirstBadLine_AndChangesNothing(string code, int line, string type)
    {
        var id = await ScriptAsync("def old():\n    return 'old'\n");
        (await Server.PostAsync($"/api/v1/scripts/{id}/publish", null, Token)).AssertOk();
        (await Server.PatchAsync($"/api/v1/scripts/{id}", new { codeDraft = code }, Token)).AssertOk();

        var failed = (await Server.PostAsync($"/api/v1/scripts/{id}/publish", null, Token)).AssertError(400.9, "EScriptPublishFailed");
        var detail = failed.Body.GetProperty("detail");
        Assert.Equal(line, detail.GetProperty("line").GetInt32());
        Assert.Equal(type, detail.GetProperty("type").GetString());
        Assert.Contains($"line {line}", failed.Message);

        var script = (await Server.GetAsync($"/api/v1/scripts/{id}", Token)).AssertOk();
        Assert.Equal("def old():\n    return 'old'\n", script.GetProperty("code").GetString());
        Assert.Equal(1, script.GetProperty("publishVersion").GetInt32());
        Assert.Equal(code, script.GetProperty("codeDraft").GetString());
    }

    [Fact]
    public async Task Publish_AcceptsEveryDffApiOptionOf1x_AndRefusesTheManualsLengthLimits()
    {
        var id = await ScriptAsync(
            "@DFF.API('Heavy', queue=9, fixed_task_info_limit=100, hint={'any': 'note'}, kwargs_hint={'n': {'type': 'int'}}, is_disabled=False,\n" +
            "         api_timeout=20, integration='auto_run', integration_config={'crontab': '*/5 * * * *', 'onPublish': False})\n" +
            "def heavy():\n    return 1\n");
        var options = (await Server.PostAsync($"/api/v1/scripts/{id}/publish", null, Token)).AssertOk()
            .GetProperty("funcs")[0].GetProperty("options");
        Assert.Equal(9, options.GetProperty("queue").GetInt32());
        Assert.Equal(100, options.GetProperty("fixed_task_info_limit").GetInt32());
        Assert.Equal("autoRun", options.GetProperty("integration").GetString());
        Assert.Equal("*/5 * * * *", options.GetProperty("integration_config").GetProperty("cronExpr").GetString());
        Assert.Equal("note", options.GetProperty("hint").GetProperty("any").GetString());

        foreach (var (code, message) in new[]
        {
            ($"@DFF.API('{new string('t', 257)}')\ndef f():\n    pass\n", "at most 256"),
            ($"@DFF.API('T')\ndef {new string('f', 253 - id.Length)}():\n    pass\n", "at most 253"),
        })
        {
            (await Server.PatchAsync($"/api/v1/scripts/{id}", new { codeDraft = code }, Token)).AssertOk();
            var failed = (await Server.PostAsync($"/api/v1/scripts/{id}/publish", null, Token)).AssertError(400.9, "EScriptPublishFailed");
            Assert.Equal(1, failed.Body.GetProperty("detail").GetProperty("line").GetInt32());
            Assert.Contains(message, failed.Message);
        }
        // One character less is the longest func ID there may be.
        (await Server.PatchAsync($"/api/v1/scripts/{id}", new { codeDraft = $"@DFF.API('T')\ndef {new string('f', 252 - id.Length)}():\n    pass\n" }, Token)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{id}/publish", null, Token)).AssertOk();
    }

    [Fact]
    public async Task FuncList_ShowsPublishedExportedFuncs_WithTheDocFilters()
    {
        var id = await ScriptAsync(
            "@DFF.API('A', category='red', tags=['x', 'y'])\ndef a():\n    pass\n\n" +
            "@DFF.API('B', category='blue', tags=['x'])\ndef b():\n    pass\n\n" +
            "@DFF.API('C', category='red', is_hidden=True)\ndef c():\n    pass\n\ndef d():\n    pass\n");
        Assert.Empty(await NamesAsync($"scriptId={id}"));
        (await Server.PostAsync($"/api/v1/scripts/{id}/publish", null, Token)).AssertOk();

        Assert.Equal(["a", "b"], await NamesAsync($"scriptId={id}"));
        Assert.Equal(["a", "b"], await NamesAsync($"scriptSetId={id[..id.IndexOf("__", StringComparison.Ordinal)]}"));
        Assert.Equal(["a", "b"], await NamesAsync($"scriptId={id}&funcCategory=red,blue"));
        Assert.Equal(["a"], await NamesAsync($"scriptId={id}&funcCategory=red"));
        Assert.Equal(["a", "b"], await NamesAsync($"scriptId={id}&funcTags=x"));
        Assert.Equal(["a"], await NamesAsync($"scriptId={id}&funcTags=x,y"));
        Assert.Equal(["b"], await NamesAsync($"funcId={id}.b"));
        Assert.Equal(["b"], await NamesAsync($"scriptId={id}&funcName=b"));

        (await Server.DeleteAsync($"/api/v1/scripts/{id}", Token)).AssertOk();
        Assert.Empty(await NamesAsync($"scriptId={id}"));
    }

    private async Task<string[]> NamesAsync(string query) =>
        (await Server.GetAsync($"/api/v1/func-list?pageSize=100&{query}", Token)).AssertOk().EnumerateArray()
            .Select(f => f.GetProperty("name").GetString()!).ToArray();
}
