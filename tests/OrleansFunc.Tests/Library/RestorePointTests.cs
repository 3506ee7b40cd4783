using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Library;

/// <summary>Restore points of the whole script library, on a server of their own (a restore changes every set).</summary>
public sealed class RestorePointTests
{
    private static string Code(string version) => $"@DFF.API('F')\ndef f():\n    return '{version}'\n";

    [Fact]
    public async Task Restore_BringsBackCodeDraftsAndFuncs_RemovesLaterSets_AndCanBeUndone()
    {
        await using var server = await TestServer.StartOnSharedPostgresAsync();
        var token = await server.SetUpAndSignInAsync();
        (await server.PostAsync("/api/v1/script-sets", new { id = "lib", title = "Library" }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts", new { id = "lib__main", codeDraft = Code("v1") }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts/lib__main/publish", null, token)).AssertOk();
        (await server.PatchAsync("/api/v1/scripts/lib__main", new { codeDraft = Code("v1-draft") }, token)).AssertOk();

        var point = (await server.PostAsync("/api/v1/restore-points", new { note = "before changes" }, token)).AssertOk();
        var pointId = point.GetProperty("id").GetString()!;
        Assert.Equal((1, 1, "manual"), (point.GetProperty("setCount").GetInt32(), point.GetProperty("scriptCount").GetInt32(),
            point.GetProperty("kind").GetString()));

        (await server.PatchAsync("/api/v1/scripts/lib__main", new { codeDraft = Code("v2") }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts/lib__main/publish", null, token)).AssertOk();
        (await server.PostAsync("/api/v1/script-sets", new { id = "extra" }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts", new { id = "extra__s", codeDraft = "x = 1\n" }, token)).AssertOk();
        Assert.Equal("v2", await CallAsync(server, token, "v2"));

        // The preview says what the restore will do, and does nothing.
        var preview = (await server.GetAsync($"/api/v1/restore-points/{pointId}/preview", token)).AssertOk().GetProperty("changes").EnumerateArray()
            .ToDictionary(c => $"{c.GetProperty("type").GetString()}:{c.GetProperty("id").GetString()}", c => c);
        Assert.Equal(["script:extra__s", "script:lib__main", "scriptSet:extra", "scriptSet:lib"], preview.Keys.Order());
        Assert.Equal("removed", preview["scriptSet:extra"].GetProperty("change").GetString());
        Assert.Equal("removed", preview["script:extra__s"].GetProperty("change").GetString());
        var main = preview["script:lib__main"];
        Assert.Equal("changed", main.GetProperty("change").GetString());
        Assert.Equal((Code("v2"), Code("v1"), Code("v2"), Code("v1-draft")), (main.GetProperty("codeNow").GetString(),
            main.GetProperty("codeAtPoint").GetString(), main.GetProperty("draftNow").GetString(), main.GetProperty("draftAtPoint").GetString()));
        Assert.Equal("v2", await CallAsync(server, token, "v2"));
        (await server.GetAsync("/api/v1/restore-points/rp-none/preview", token)).AssertError(404.41);

        var change = (await server.PostAsync($"/api/v1/restore-points/{pointId}/restore", null, token)).AssertOk();
        Assert.Equal(["extra"], change.GetProperty("removedSetIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("v1", await CallAsync(server, token, "v1"));
        var script = (await server.GetAsync("/api/v1/scripts/lib__main", token)).AssertOk();
        Assert.Equal(Code("v1"), script.GetProperty("code").GetString());
        Assert.Equal(Code("v1-draft"), script.GetProperty("codeDraft").GetString());
        Assert.Equal(3, script.GetProperty("publishVersion").GetInt32());
        (await server.GetAsync("/api/v1/script-sets/extra", token)).AssertError(404.41);
        (await server.GetAsync("/api/v1/scripts/extra__s", token)).AssertError(404.41);
        Assert.Equal(1, (await server.GetAsync("/api/v1/script-sets/lib", token)).AssertOk().GetProperty("scriptCount").GetInt32());

        var points = (await server.GetAsync("/api/v1/restore-points", token)).AssertOk().EnumerateArray()
            .Where(p => p.GetProperty("kind").GetString() != "publish").ToList();
        Assert.Equal(["beforeRestore", "manual"], points.Select(p => p.GetProperty("kind").GetString()));
        (await server.PostAsync($"/api/v1/restore-points/{points[0].GetProperty("id").GetString()}/restore", null, token)).AssertOk();
        Assert.Equal("v2", await CallAsync(server, token, "v2"));
        Assert.Equal("x = 1\n", (await server.GetAsync("/api/v1/scripts/extra__s", token)).AssertOk().GetProperty("codeDraft").GetString());

        (await server.PostAsync("/api/v1/restore-points/rp-none/restore", null, token)).AssertError(404.41);
        (await server.PostAsync("/api/v1/users", new { username = "member1", password = "member-password" }, token)).AssertOk();
        var member = await server.SignInAsync("member1", "member-password");
        (await server.PostAsync("/api/v1/restore-points", new { note = "no" }, member)).AssertError(403.15);
    }

    [Fact]
    public async Task Publish_SavesThePublishedLibrary_AndKeepsItsOwnNewestPoints()
    {
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("data"), await TestPostgres.CreateDatabaseAsync());
        await using var server = await TestServer.StartAsync(settings,
            new Dictionary<string, string>(settings.ToEnvironment()) { ["OrleansFunc__RestorePointsKept"] = "2" });
        var token = await server.SetUpAndSignInAsync();
        (await server.PostAsync("/api/v1/script-sets", new { id = "lib" }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts", new { id = "lib__main", codeDraft = Code("v1") }, token)).AssertOk();
        (await server.PostAsync("/api/v1/restore-points", new { note = "by hand" }, token)).AssertOk();
        foreach (var version in new[] { "v1", "v2", "v3" })
        {
            (await server.PatchAsync("/api/v1/scripts/lib__main", new { codeDraft = Code(version) }, token)).AssertOk();
            (await server.PostAsync("/api/v1/scripts/lib__main/publish", new { note = $"release {version}" }, token)).AssertOk();
        }

        var points = (await server.GetAsync("/api/v1/restore-points", token)).AssertOk().EnumerateArray().ToList();
        Assert.Equal(["publish", "publish", "manual"], points.Select(p => p.GetProperty("kind").GetString()));
        Assert.Equal("Published lib__main (version 3): release v3", points[0].GetProperty("note").GetString());
        Assert.Equal("Published lib__main (version 2): release v2", points[1].GetProperty("note").GetString());

        // The point of version 2 holds version 2 as published.
        (await server.PostAsync($"/api/v1/restore-points/{points[1].GetProperty("id").GetString()}/restore", null, token)).AssertOk();
        Assert.Equal(Code("v2"), (await server.GetAsync("/api/v1/scripts/lib__main", token)).AssertOk().GetProperty("code").GetString());
    }

    /// <summary>The func's result once published code has caught up (code copies are fresh within a second).</summary>
    private static Task<string?> CallAsync(TestServer server, string token, string expected) =>
        Eventually.ValueAsync($"the func to answer {expected}",
            async () => (await server.PostAsync("/api/v1/func/lib__main.f", new { kwargs = new { } }, token)).AssertOk().GetProperty("result").GetString(),
            result => result == expected, TimeSpan.FromSeconds(3));
}
