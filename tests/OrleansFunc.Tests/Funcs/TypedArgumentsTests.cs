using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Funcs;

/// <summary>
/// A func's type hints convert the string values of simplified and GET calls before the run; a value that cannot be
/// converted answers 400.43 naming the argument, and no run happens (issue 25.4).
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class TypedArgumentsTests(SharedServerFixture fixture)
{
    private const string Code =
        "@DFF.API('Typed')\n" +
        "def typed(n: int, ok: bool, tags: list[str], ids: list[int] = None, ratio: float = 1.0, data: dict = None, name: str = ''):\n" +
        "    DFF.STORE.set('runs', (DFF.STORE.get('runs') or 0) + 1)\n" +
        "    return {'n': n, 'ok': ok, 'tags': tags, 'ids': ids, 'ratio': ratio, 'data': data, 'name': name,\n" +
        "            'types': [type(v).__name__ for v in (n, ok, tags, ratio, name)]}\n\n" +
        "@DFF.API('Plain')\ndef plain(n):\n    return type(n).__name__\n\n" +
        "@DFF.API('Runs')\ndef runs():\n    return DFF.STORE.get('runs') or 0\n";

    private TestServer Server => fixture.Server;
    private string Token => fixture.AdminToken;

    private async Task<string> ScriptAsync()
    {
        var set = SharedServerFixture.UniqueId("ty");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, Token)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = Code }, Token)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{set}__main/publish", null, Token)).AssertOk();
        return $"{set}__main";
    }

    private async Task<string> LinkAsync(string funcId) =>
        (await Server.PostAsync("/api/v1/auth-links", new { funcId }, Token)).AssertOk().GetProperty("id").GetString()!;

    private async Task<int> RunsAsync(string script) =>
        (await Server.PostAsync($"/api/v1/func/{script}.runs", new { kwargs = new { } }, Token)).AssertOk().GetProperty("result").GetInt32();

    [Fact]
    public async Task StringValues_AreConvertedByTheHints_AndOthersPassAsTheyCame()
    {
        var script = await ScriptAsync();
        var link = await LinkAsync($"{script}.typed");
        var query = "n=5&ok=yes&tags=a,b&ids=1,2&ratio=2.5&name=007&data=" + Uri.EscapeDataString("{\"k\": 1}");
        var result = JsonDocument.Parse(await Server.Http.GetStringAsync($"/api/v1/al/{link}/simplified?{query}")).RootElement;
        Assert.Equal(5, result.GetProperty("n").GetInt32());
        Assert.True(result.GetProperty("ok").GetBoolean());
        Assert.Equal(["a", "b"], result.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray());
        Assert.Equal([1, 2], result.GetProperty("ids").EnumerateArray().Select(t => t.GetInt32()).ToArray());
        Assert.Equal(2.5, result.GetProperty("ratio").GetDouble());
        Assert.Equal(1, result.GetProperty("data").GetProperty("k").GetInt32());
        Assert.Equal("007", result.GetProperty("name").GetString());
        Assert.Equal(["int", "bool", "list", "float", "str"], result.GetProperty("types").EnumerateArray().Select(t => t.GetString()!).ToArray());

        // A field sent more than once comes as a list (as Express gives it): its items are converted too.
        var repeated = JsonDocument.Parse(await Server.Http.GetStringAsync($"/api/v1/al/{link}/simplified?n=1&ok=no&tags=a&tags=b&ids=3&ids=4")).RootElement;
        Assert.Equal(["a", "b"], repeated.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray());
        Assert.Equal([3, 4], repeated.GetProperty("ids").EnumerateArray().Select(t => t.GetInt32()).ToArray());

        // The standard form's JSON values are already typed; a func without hints gets its strings as strings.
        var standard = (await Server.PostAsync($"/api/v1/func/{script}.typed", new { kwargs = new { n = 3, ok = false, tags = new[] { "x" } } }, Token)).AssertOk();
        Assert.Equal(3, standard.GetProperty("result").GetProperty("n").GetInt32());
        Assert.False(standard.GetProperty("result").GetProperty("ok").GetBoolean());
        var plain = await LinkAsync($"{script}.plain");
        Assert.Equal("str", await Server.Http.GetStringAsync($"/api/v1/al/{plain}/simplified?n=5"));
    }

    [Fact]
    public async Task AValueThatCannotBeConverted_Answers400NamingIt_AndNothingRuns()
    {
        var script = await ScriptAsync();
        var link = await LinkAsync($"{script}.typed");
        Assert.Equal(0, await RunsAsync(script));
        foreach (var (query, field, type) in new[]
        {
            ("n=five&ok=true&tags=a", "n", "int"), ("n=1&ok=maybe&tags=a", "ok", "bool"), ("n=1&ok=true&tags=a&ids=1,x", "ids", "list[int]"), ("n=1&ok=true&tags=a&ids=1&ids=x", "ids", "list[int]"),
            ("n=1&ok=true&tags=a&ratio=fast", "ratio", "float"), ("n=1&ok=true&tags=a&data=[1]", "data", "dict"),
        })
        {
            var refused = (await Server.GetAsync($"/api/v1/al/{link}/simplified?{query}")).AssertError(400.43, "EClientBadRequest.InvalidKwargs");
            Assert.Contains($"Argument '{field}' of {script}.typed must be {type}", refused.Message);
            Assert.Equal(field, refused.Body.GetProperty("detail").GetProperty("field").GetString());
        }
        (await Server.PostAsync($"/api/v1/func/{script}.typed", new { kwargs = new { n = "5x", ok = true, tags = new[] { "a" } } }, Token))
            .AssertError(400.43, "EClientBadRequest.InvalidKwargs");
        Assert.Equal(0, await RunsAsync(script));

        // A batch refuses it at the call: no task is queued.
        var batch = (await Server.PostAsync("/api/v1/batches", new { funcId = $"{script}.typed" }, Token)).AssertOk().GetProperty("id").GetString()!;
        (await Server.GetAsync($"/api/v1/bat/{batch}/simplified?n=five&ok=true&tags=a")).AssertError(400.43, "EClientBadRequest.InvalidKwargs");
        Assert.Equal(0, (await Server.GetAsync($"/api/v1/task-records?originId={batch}", Token)).AssertOk().GetArrayLength());
    }

    [Fact]
    public async Task CallExamples_SendAValueOfEachDeclaredType()
    {
        var script = await ScriptAsync();
        var link = await LinkAsync($"{script}.typed");
        var examples = (await Server.GetAsync($"/api/v1/auth-links/{link}/examples", Token)).AssertOk().EnumerateArray().ToList();
        var post = examples.Single(e => e.GetProperty("form").GetString() == "standard" && e.GetProperty("method").GetString() == "POST");
        var curl = post.GetProperty("curl").GetString()!;
        Assert.Contains("\"n\":1", curl);
        Assert.Contains("\"ok\":true", curl);
        Assert.Contains("\"tags\":[\"value\"]", curl);
        var simplified = examples.Single(e => e.GetProperty("form").GetString() == "simplified" && e.GetProperty("method").GetString() == "GET");
        var url = new Uri(simplified.GetProperty("url").GetString()!).PathAndQuery;
        Assert.Equal(1, JsonDocument.Parse(await Server.Http.GetStringAsync(url)).RootElement.GetProperty("n").GetInt32());
    }
}
