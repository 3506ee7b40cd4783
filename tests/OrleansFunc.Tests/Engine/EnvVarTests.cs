using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>Env variables: CRUD and <c>DFF.ENV</c> with auto type casting (SPEC D4).</summary>
[Collection(SharedServerCollection.Name)]
public sealed class EnvVarTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private string Token => fixture.AdminToken;

    [Fact]
    public async Task EnvVariable_CreateGetUpdateListDelete_RoundTrips()
    {
        var id = SharedServerFixture.UniqueId("ENV_");
        var created = (await Server.PostAsync("/api/v1/env-variables", new { id, title = "T", valueTEXT = "42", autoTypeCasting = "integer" }, Token)).AssertOk();
        Assert.Equal("integer", created.GetProperty("autoTypeCasting").GetString());
        (await Server.PostAsync("/api/v1/env-variables", new { id, valueTEXT = "1" }, Token)).AssertError(409.42);
        (await Server.PostAsync("/api/v1/env-variables", new { id = "bad-id", valueTEXT = "1" }, Token)).AssertError(400.43);
        (await Server.PostAsync("/api/v1/env-variables", new { id = id + "x", autoTypeCasting = "decimal" }, Token)).AssertError(400.43);

        var updated = (await Server.PatchAsync($"/api/v1/env-variables/{id}", new { valueTEXT = "a,b" , autoTypeCasting = "commaArray" }, Token)).AssertOk();
        Assert.Equal("T", updated.GetProperty("title").GetString());
        Assert.Contains(id, await Server.ListAllIdsAsync("/api/v1/env-variables", Token));
        (await Server.DeleteAsync($"/api/v1/env-variables/{id}", Token)).AssertOk();
        (await Server.GetAsync($"/api/v1/env-variables/{id}", Token)).AssertError(404.41);
    }

    [Fact]
    public async Task DffEnv_ConvertsByAutoType_AndGivesNoneWhenMissingOrUnconvertible()
    {
        var prefix = SharedServerFixture.UniqueId("E");
        var cases = new (string Suffix, string Value, string Casting)[]
        {
            ("s", " text ", "string"), ("i", " -1_000 ", "integer"), ("ibad", "1.5", "integer"), ("f", "1e3", "float"),
            ("yes", "YES", "boolean"), ("ng", "ng", "boolean"), ("bbad", " yes", "boolean"), ("j", "{\"a\": [1, 2]}", "json"),
            ("jbad", "{nope", "json"), ("arr", "a,,b ", "commaArray"), ("empty", "", "commaArray"),
        };
        foreach (var (suffix, value, casting) in cases)
        {
            (await Server.PostAsync("/api/v1/env-variables", new { id = $"{prefix}_{suffix}", valueTEXT = value, autoTypeCasting = casting }, Token)).AssertOk();
        }
        var set = SharedServerFixture.UniqueId("ev");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, Token)).AssertOk();
        var names = string.Join(", ", cases.Select(c => $"'{c.Suffix}'"));
        var code = $"def read():\n    keys = [{names}, 'missing']\n    return {{k: DFF.ENV('{prefix}_' + k) for k in keys}}\n";
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__env", codeDraft = code }, Token)).AssertOk();

        var result = (await Server.PostAsync($"/api/v1/scripts/{set}__env/run", new { funcName = "read" }, Token)).AssertOk().GetProperty("result");
        Assert.Equal(" text ", result.GetProperty("s").GetString());
        Assert.Equal(-1000, result.GetProperty("i").GetInt32());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("ibad").ValueKind);
        Assert.Equal(1000.0, result.GetProperty("f").GetDouble());
        Assert.True(result.GetProperty("yes").GetBoolean());
        Assert.False(result.GetProperty("ng").GetBoolean());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("bbad").ValueKind);
        Assert.Equal(2, result.GetProperty("j").GetProperty("a")[1].GetInt32());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("jbad").ValueKind);
        Assert.Equal(["a", "", "b "], result.GetProperty("arr").EnumerateArray().Select(v => v.GetString()!).ToArray());
        Assert.Equal([""], result.GetProperty("empty").EnumerateArray().Select(v => v.GetString()!).ToArray());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("missing").ValueKind);
    }
}
