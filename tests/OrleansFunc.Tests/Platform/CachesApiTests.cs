using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Platform;

/// <summary>Experimental features, the func cache manager behind one, and clearing the caches (SPEC M8, U1).</summary>
[Collection(SharedServerCollection.Name)]
public sealed class CachesApiTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private string Token => fixture.AdminToken;

    private async Task<string> ScriptAsync(string code)
    {
        var set = SharedServerFixture.UniqueId("cc");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, Token)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = code }, Token)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{set}__main/publish", null, Token)).AssertOk();
        return $"{set}__main";
    }

    [Fact]
    public async Task FuncCacheManager_IsShownOnlyWhileItsFeatureIsOn_AndListsAndDeletesKeys()
    {
        var script = await ScriptAsync(
            "@DFF.API('Fill')\ndef fill():\n    DFF.CACHE.set('user:1', 'Ada', expires=600)\n    DFF.CACHE.hset('user:2', 'name', 'Bob')\n" +
            "    DFF.CACHE.set('other', 'x')\n    return 1\n");
        (await Server.PostAsync($"/api/v1/func/{script}.fill", new { kwargs = new { } }, Token)).AssertOk();
        var username = SharedServerFixture.UniqueId("cm");
        (await Server.PostAsync("/api/v1/users", new { username, password = "member-password" }, Token)).AssertOk();
        var member = await Server.SignInAsync(username, "member-password");

        var features = (await Server.GetAsync("/api/v1/experimental-features", member)).AssertOk();
        Assert.False(features.EnumerateArray().Single(f => f.GetProperty("id").GetString() == "funcCacheManager").GetProperty("isEnabled").GetBoolean());
        (await Server.GetAsync($"/api/v1/func-caches?scope={script}", Token)).AssertError(403.21);
        (await Server.PatchAsync("/api/v1/experimental-features/funcCacheManager", new { isEnabled = true }, member)).AssertError(403.15);
        (await Server.PatchAsync("/api/v1/experimental-features/noSuchThing", new { isEnabled = true }, Token)).AssertError(404.41);
        Assert.True((await Server.PatchAsync("/api/v1/experimental-features/funcCacheManager", new { isEnabled = true }, Token))
            .AssertOk().GetProperty("isEnabled").GetBoolean());
        try
        {
            var users = (await Server.GetAsync($"/api/v1/func-caches?scope={script}&pattern=user:*", Token)).AssertOk().EnumerateArray().ToList();
            Assert.Equal(["user:1", "user:2"], users.Select(k => k.GetProperty("key").GetString()));
            Assert.Equal(("string", "Ada"), (users[0].GetProperty("type").GetString(), users[0].GetProperty("preview").GetString()));
            Assert.InRange(users[0].GetProperty("ttlSeconds").GetInt32(), 1, 600);
            Assert.Equal("hash", users[1].GetProperty("type").GetString());
            var everywhere = (await Server.GetAsync("/api/v1/func-caches?pattern=other", Token)).AssertOk().EnumerateArray();
            Assert.Contains(everywhere, k => k.GetProperty("scope").GetString() == script);

            (await Server.DeleteAsync($"/api/v1/func-caches/{script}/user:1", Token)).AssertOk();
            (await Server.DeleteAsync($"/api/v1/func-caches/{script}/user:1", Token)).AssertError(404.41);
            Assert.Single((await Server.GetAsync($"/api/v1/func-caches?scope={script}&pattern=user:*", Token)).AssertOk().EnumerateArray());
        }
        finally
        {
            (await Server.PatchAsync("/api/v1/experimental-features/funcCacheManager", new { isEnabled = false }, Token)).AssertOk();
        }
        (await Server.GetAsync($"/api/v1/func-caches?scope={script}", Token)).AssertError(403.21);
    }

    [Fact]
    public async Task ClearingTheCaches_DropsCachedResults()
    {
        var script = await ScriptAsync("import uuid\n\n@DFF.API('Stamp', cache_result=300)\ndef stamp():\n    return uuid.uuid4().hex\n");
        async Task<string> CallAsync() =>
            (await Server.PostAsync($"/api/v1/func/{script}.stamp", new { kwargs = new { } }, Token)).AssertOk().GetProperty("result").GetString()!;
        var first = await CallAsync();
        Assert.Equal(first, await CallAsync());

        (await Server.PostAsync("/api/v1/cache/clear", null, Token)).AssertOk();

        Assert.NotEqual(first, await CallAsync());
    }
}
