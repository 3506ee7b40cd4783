using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Scripts;

[Collection(SharedServerCollection.Name)]
public sealed class ScriptsApiTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private string Token => fixture.AdminToken;

    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    private async Task<string> NewSetAsync()
    {
        var id = SharedServerFixture.UniqueId("s");
        (await Server.PostAsync("/api/v1/script-sets", new { id, title = "Set" }, Token)).AssertOk();
        return id;
    }

    private async Task<string> NewScriptAsync(string code = "def hello():\n    return 'hi'\n")
    {
        var id = $"{await NewSetAsync()}__main";
        (await Server.PostAsync("/api/v1/scripts", new { id, title = "Main", codeDraft = code }, Token)).AssertOk();
        return id;
    }

    [Fact]
    public async Task Script_New_HasDraftOnlyAndIsMarkedUnpublished()
    {
        const string code = "def hello():\n    return 'hi'\n";
        var id = await NewScriptAsync(code);
        var script = (await Server.GetAsync($"/api/v1/scripts/{id}", Token)).AssertOk();
        Assert.Equal(code, script.GetProperty("codeDraft").GetString());
        Assert.Equal("", script.GetProperty("code").GetString());
        Assert.Equal(Md5(code), script.GetProperty("codeDraftMD5").GetString());
        Assert.Equal(Md5(""), script.GetProperty("codeMD5").GetString());
        Assert.True(script.GetProperty("hasUnpublishedChanges").GetBoolean());
        Assert.Equal(0, script.GetProperty("publishVersion").GetInt32());
    }

    [Fact]
    public async Task Publish_MakesTheDraftLive_AndRecordsThePublish()
    {
        const string code = "def hello():\n    return 'hi'\n";
        var id = await NewScriptAsync(code);
        var published = (await Server.PostAsync($"/api/v1/scripts/{id}/publish", new { note = "first" }, Token)).AssertOk();
        Assert.Equal(1, published.GetProperty("publishVersion").GetInt32());
        Assert.Equal(Md5(code), published.GetProperty("codeMD5").GetString());

        var script = (await Server.GetAsync($"/api/v1/scripts/{id}", Token)).AssertOk();
        Assert.Equal(code, script.GetProperty("code").GetString());
        Assert.False(script.GetProperty("hasUnpublishedChanges").GetBoolean());

        var history = (await Server.GetAsync($"/api/v1/scripts/{id}/publish-history", Token)).AssertOk();
        var entry = Assert.Single(history.EnumerateArray());
        Assert.Equal("first", entry.GetProperty("note").GetString());
        Assert.Equal(1, entry.GetProperty("publishVersion").GetInt32());
    }

    [Fact]
    public async Task AnEarlierVersion_IsShownWithItsCode_AndPublishedAgainAsANewVersionThatSaysSo()
    {
        const string first = "@DFF.API('Hello')\ndef hello():\n    return 'v1'\n";
        var id = await NewScriptAsync(first);
        (await Server.PostAsync($"/api/v1/scripts/{id}/publish", new { note = "first" }, Token)).AssertOk();
        (await Server.PatchAsync($"/api/v1/scripts/{id}", new { codeDraft = "@DFF.API('Hello')\ndef hello():\n    return 'v2'\n", prevCodeDraftMD5 = Md5(first) }, Token)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{id}/publish", new { note = "second" }, Token)).AssertOk();
        Assert.Equal("v2", (await Server.PostAsync($"/api/v1/func/{id}.hello", new { kwargs = new { } }, Token)).AssertOk().GetProperty("result").GetString());

        var versionOne = (await Server.GetAsync($"/api/v1/scripts/{id}/publish-history", Token)).AssertOk().EnumerateArray()
            .Single(entry => entry.GetProperty("publishVersion").GetInt32() == 1).GetProperty("id").GetInt64();
        Assert.Equal(first, (await Server.GetAsync($"/api/v1/scripts/{id}/publish-history/{versionOne}", Token)).AssertOk().GetProperty("code").GetString());
        (await Server.GetAsync($"/api/v1/scripts/{id}/publish-history/999999999", Token)).AssertError(404.41);

        var again = (await Server.PostAsync($"/api/v1/scripts/{id}/publish-history/{versionOne}/republish", new { note = "v2 broke the report" }, Token)).AssertOk();
        Assert.Equal(3, again.GetProperty("publishVersion").GetInt32());
        Assert.Equal(Md5(first), again.GetProperty("codeMD5").GetString());
        Assert.Equal("v1", (await Server.PostAsync($"/api/v1/func/{id}.hello", new { kwargs = new { } }, Token)).AssertOk().GetProperty("result").GetString());
        var script = (await Server.GetAsync($"/api/v1/scripts/{id}", Token)).AssertOk();
        Assert.Equal(first, script.GetProperty("codeDraft").GetString());
        Assert.False(script.GetProperty("hasUnpublishedChanges").GetBoolean());
        var newest = (await Server.GetAsync($"/api/v1/scripts/{id}/publish-history", Token)).AssertOk().EnumerateArray().First();
        Assert.Equal(3, newest.GetProperty("publishVersion").GetInt32());
        Assert.Equal("Version 1 published again: v2 broke the report", newest.GetProperty("note").GetString());
    }

    [Fact]
    public async Task CheckingTheDraft_AnswersWhatAPublishWouldFind_AndChangesNothing()
    {
        const string good = "@DFF.API('Hello', queue='no_such_pool')\ndef hello():\n    return DFF.SIGN\n";
        var id = await NewScriptAsync(good);
        var passed = (await Server.PostAsync($"/api/v1/scripts/{id}/check", new { }, Token)).AssertOk();
        Assert.True(passed.GetProperty("ok").GetBoolean());
        Assert.Equal(JsonValueKind.Null, passed.GetProperty("error").ValueKind);
        Assert.Equal("hello", Assert.Single(passed.GetProperty("funcs").EnumerateArray()).GetProperty("name").GetString());
        var warnings = passed.GetProperty("warnings").EnumerateArray().ToList();
        Assert.Contains(warnings, w => w.GetProperty("line").GetInt32() == 3 && w.GetProperty("message").GetString()!.Contains("DFF.SIGN"));
        Assert.Contains(warnings, w => w.GetProperty("line").GetInt32() == 1 && w.GetProperty("message").GetString()!.Contains("no_such_pool"));

        const string bad = "import json\n\n@DFF.API('Hello', colour='red')\ndef hello():\n    return 'hi'\n";
        (await Server.PatchAsync($"/api/v1/scripts/{id}", new { codeDraft = bad, prevCodeDraftMD5 = Md5(good) }, Token)).AssertOk();
        var failed = (await Server.PostAsync($"/api/v1/scripts/{id}/check", new { }, Token)).AssertOk();
        Assert.False(failed.GetProperty("ok").GetBoolean());
        Assert.Equal(3, failed.GetProperty("error").GetProperty("line").GetInt32());
        Assert.Contains("colour", failed.GetProperty("error").GetProperty("message").GetString());
        Assert.Empty(failed.GetProperty("funcs").EnumerateArray());

        const string broken = "def hello():\n    return 'hi'\n\ndef bye(:\n    pass\n";
        (await Server.PatchAsync($"/api/v1/scripts/{id}", new { codeDraft = broken, prevCodeDraftMD5 = Md5(bad) }, Token)).AssertOk();
        var syntax = (await Server.PostAsync($"/api/v1/scripts/{id}/check", new { }, Token)).AssertOk().GetProperty("error");
        Assert.Equal("SyntaxError", syntax.GetProperty("type").GetString());
        Assert.Equal(4, syntax.GetProperty("line").GetInt32());

        var script = (await Server.GetAsync($"/api/v1/scripts/{id}", Token)).AssertOk();
        Assert.Equal(0, script.GetProperty("publishVersion").GetInt32());
        Assert.Equal(broken, script.GetProperty("codeDraft").GetString());
        Assert.Empty((await Server.GetAsync($"/api/v1/scripts/{id}/publish-history", Token)).AssertOk().EnumerateArray());
        (await Server.PostAsync("/api/v1/scripts/nobody__nothing/check", new { }, Token)).AssertError(404.41);
    }

    [Fact]
    public async Task SaveDraft_WithStaleBase_Returns409AndKeepsTheDraft()
    {
        var id = await NewScriptAsync("x = 1\n");
        var saved = (await Server.PatchAsync($"/api/v1/scripts/{id}", new { codeDraft = "x = 2\n", prevCodeDraftMD5 = Md5("x = 1\n") }, Token)).AssertOk();
        Assert.Equal(Md5("x = 2\n"), saved.GetProperty("codeDraftMD5").GetString());

        (await Server.PatchAsync($"/api/v1/scripts/{id}", new { codeDraft = "x = 3\n", prevCodeDraftMD5 = Md5("x = 1\n") }, Token))
            .AssertError(409.25, "EBizRequestConflict.scriptDraftAlreadyChanged");
        Assert.Equal("x = 2\n", (await Server.GetAsync($"/api/v1/scripts/{id}", Token)).AssertOk().GetProperty("codeDraft").GetString());
    }

    [Fact]
    public async Task Revert_ResetsTheDraftToThePublishedCode()
    {
        var id = await NewScriptAsync("x = 1\n");
        (await Server.PostAsync($"/api/v1/scripts/{id}/publish", null, Token)).AssertOk();
        (await Server.PatchAsync($"/api/v1/scripts/{id}", new { codeDraft = "x = 99\n" }, Token)).AssertOk();
        Assert.True((await Server.GetAsync($"/api/v1/scripts/{id}", Token)).AssertOk().GetProperty("hasUnpublishedChanges").GetBoolean());

        var reverted = (await Server.PostAsync($"/api/v1/scripts/{id}/revert", null, Token)).AssertOk();
        Assert.False(reverted.GetProperty("hasUnpublishedChanges").GetBoolean());
        Assert.Equal("x = 1\n", (await Server.GetAsync($"/api/v1/scripts/{id}", Token)).AssertOk().GetProperty("codeDraft").GetString());
    }

    [Fact]
    public async Task Script_InMissingSetOrWithBadId_IsRefusedAndNothingIsCreated()
    {
        var missingSet = SharedServerFixture.UniqueId("nos");
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{missingSet}__main" }, Token)).AssertError(404.41, "EClientNotFound.NoSuchScriptSet");
        (await Server.GetAsync($"/api/v1/scripts/{missingSet}__main", Token)).AssertError(404.41);

        var set = await NewSetAsync();
        (await Server.PostAsync("/api/v1/scripts", new { id = "nounderscores" }, Token)).AssertError(400.43, "EClientBadRequest.InvalidId");
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__" }, Token)).AssertError(400.43);
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__bad-name" }, Token)).AssertError(400.43);
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", scriptSetId = "other" }, Token)).AssertError(400.43);
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = 42 }, Token)).AssertError(400.43);
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__" + new string('n', 128) }, Token)).AssertError(400.43);
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", title = new string('t', 257) }, Token)).AssertError(400.43);
        var listed = (await Server.GetAsync($"/api/v1/scripts?scriptSetId={set}", Token)).AssertOk();
        Assert.Equal(0, listed.GetArrayLength());
    }

    [Fact]
    public async Task DeletingASet_DeletesItsScripts()
    {
        var set = await NewSetAsync();
        foreach (var name in new[] { "a", "b" })
        {
            (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__{name}" }, Token)).AssertOk();
        }
        Assert.Equal(2, (await Server.GetAsync($"/api/v1/script-sets/{set}", Token)).AssertOk().GetProperty("scriptCount").GetInt32());
        Assert.Equal(2, (await Server.GetAsync($"/api/v1/scripts?scriptSetId={set}", Token)).AssertOk().GetArrayLength());

        (await Server.DeleteAsync($"/api/v1/script-sets/{set}", Token)).AssertOk();
        (await Server.GetAsync($"/api/v1/scripts/{set}__a", Token)).AssertError(404.41);
        (await Server.GetAsync($"/api/v1/scripts/{set}__b", Token)).AssertError(404.41);
        Assert.Equal(0, (await Server.GetAsync($"/api/v1/scripts?scriptSetId={set}", Token)).AssertOk().GetArrayLength());

        // The same IDs can be used again, from scratch.
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, Token)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__a" }, Token)).AssertOk();
        Assert.Equal(0, (await Server.GetAsync($"/api/v1/scripts/{set}__a", Token)).AssertOk().GetProperty("publishVersion").GetInt32());
    }

    [Fact]
    public async Task APublishThatBreaksACaller_NeedsAConfirmation_AndSaysWhichAndWhy()
    {
        const string first = "@DFF.API('Greet')\ndef greet(name):\n    return 'hi ' + name\n\n@DFF.API('Tick')\ndef tick(n=1):\n    return n\n";
        var id = await NewScriptAsync(first);
        (await Server.PostAsync($"/api/v1/scripts/{id}/publish", new { }, Token)).AssertOk();
        var link = (await Server.PostAsync("/api/v1/auth-links", new { funcId = $"{id}.greet", funcCallKwargs = new { name = "INPUT_BY_CALLER" } }, Token))
            .AssertOk().GetProperty("id").GetString()!;
        var config = (await Server.PostAsync("/api/v1/crontab-configs", new { funcId = $"{id}.tick", crontab = "0 0 1 1 *", funcCallKwargs = new { n = 2 } }, Token))
            .AssertOk().GetProperty("id").GetString()!;

        // A change both callers still fit publishes as before.
        var second = first.Replace("def greet(name):", "def greet(name, polite=False):");
        (await Server.PatchAsync($"/api/v1/scripts/{id}", new { codeDraft = second, prevCodeDraftMD5 = Md5(first) }, Token)).AssertOk();
        Assert.Equal(2, (await Server.PostAsync($"/api/v1/scripts/{id}/publish", new { }, Token)).AssertOk().GetProperty("publishVersion").GetInt32());

        // Dropping greet and renaming tick's argument breaks both: the check says so, the publish waits for a confirmation.
        const string third = "@DFF.API('Tick')\ndef tick(count: int = 1):\n    return count\n";
        (await Server.PatchAsync($"/api/v1/scripts/{id}", new { codeDraft = third, prevCodeDraftMD5 = Md5(second) }, Token)).AssertOk();
        var check = (await Server.PostAsync($"/api/v1/scripts/{id}/check", new { }, Token)).AssertOk();
        Assert.Equal(2, check.GetProperty("breaks").GetArrayLength());
        var refused = (await Server.PostAsync($"/api/v1/scripts/{id}/publish", new { }, Token)).AssertError(403.21, "EBizCondition.PublishBreaksCalls");
        var broken = refused.Body.GetProperty("detail").GetProperty("broken").EnumerateArray().ToDictionary(b => b.GetProperty("id").GetString()!);
        Assert.Equal("authLink", broken[link].GetProperty("kind").GetString());
        Assert.Contains($"{id}.greet would no longer be exported", broken[link].GetProperty("problem").GetString());
        Assert.Equal("crontabConfig", broken[config].GetProperty("kind").GetString());
        Assert.Contains("its kwargs give n, which tick(count: int = 1) does not take", broken[config].GetProperty("problem").GetString());
        Assert.Contains(link, refused.Message);
        Assert.Equal(2, (await Server.GetAsync($"/api/v1/scripts/{id}", Token)).AssertOk().GetProperty("publishVersion").GetInt32());
        Assert.Equal("hi you", await Server.Http.GetStringAsync($"/api/v1/al/{link}/simplified?name=you"));

        var confirmed = (await Server.PostAsync($"/api/v1/scripts/{id}/publish", new { confirmBreaking = true }, Token)).AssertOk();
        Assert.Equal(3, confirmed.GetProperty("publishVersion").GetInt32());
        // Once published, what was broken stays so without asking again: only new breaks need a confirmation.
        (await Server.PostAsync($"/api/v1/scripts/{id}/publish", new { }, Token)).AssertOk();
    }

    [Fact]
    public async Task DeletingAScriptOrSetWithCallers_NeedsForce()
    {
        var id = await NewScriptAsync("@DFF.API('Work')\ndef work():\n    return 1\n");
        var set = id[..id.IndexOf("__", StringComparison.Ordinal)];
        (await Server.PostAsync($"/api/v1/scripts/{id}/publish", new { }, Token)).AssertOk();
        var batch = (await Server.PostAsync("/api/v1/batches", new { funcId = $"{id}.work" }, Token)).AssertOk().GetProperty("id").GetString()!;

        var refused = (await Server.DeleteAsync($"/api/v1/scripts/{id}", Token)).AssertError(403.21, "EBizCondition.DeleteBreaksCalls");
        Assert.Contains(batch, refused.Message);
        (await Server.DeleteAsync($"/api/v1/script-sets/{set}", Token)).AssertError(403.21, "EBizCondition.DeleteBreaksCalls");
        (await Server.GetAsync($"/api/v1/scripts/{id}", Token)).AssertOk();
        (await Server.DeleteAsync($"/api/v1/script-sets/{set}?force=true", Token)).AssertOk();
        (await Server.GetAsync($"/api/v1/scripts/{id}", Token)).AssertError(404.41);
    }

    [Fact]
    public async Task DeletingAScript_RemovesItFromItsSet()
    {
        var id = await NewScriptAsync();
        var set = id[..id.IndexOf("__", StringComparison.Ordinal)];
        (await Server.DeleteAsync($"/api/v1/scripts/{id}", Token)).AssertOk();
        (await Server.GetAsync($"/api/v1/scripts/{id}", Token)).AssertError(404.41);
        Assert.Equal(0, (await Server.GetAsync($"/api/v1/script-sets/{set}", Token)).AssertOk().GetProperty("scriptCount").GetInt32());
    }

    [Fact]
    public async Task EditLock_MakesTheScriptReadOnlyForOthers_UntilReleased()
    {
        var id = await NewScriptAsync("x = 1\n");
        var otherName = SharedServerFixture.UniqueId("ed");
        (await Server.PostAsync("/api/v1/users", new { username = otherName, password = "editor-password" }, Token)).AssertOk();
        var other = await Server.SignInAsync(otherName, "editor-password");

        var held = (await Server.PostAsync($"/api/v1/scripts/{id}/lock", null, Token)).AssertOk();
        Assert.Equal(TestServer.AdminUsername, held.GetProperty("username").GetString());

        var seen = (await Server.GetAsync($"/api/v1/scripts/{id}", other)).AssertOk();
        Assert.Equal(TestServer.AdminUsername, seen.GetProperty("lock").GetProperty("username").GetString());

        var refused = (await Server.PatchAsync($"/api/v1/scripts/{id}", new { codeDraft = "x = 2\n" }, other)).AssertError(403.21, "EBizCondition.ScriptLocked");
        Assert.Contains(TestServer.AdminUsername, refused.Message);
        (await Server.PostAsync($"/api/v1/scripts/{id}/publish", null, other)).AssertError(403.21);
        (await Server.PostAsync($"/api/v1/scripts/{id}/lock", null, other)).AssertError(403.21);
        (await Server.DeleteAsync($"/api/v1/scripts/{id}", other)).AssertError(403.21);
        Assert.Equal("x = 1\n", (await Server.GetAsync($"/api/v1/scripts/{id}", other)).AssertOk().GetProperty("codeDraft").GetString());

        // The holder can still save, and renewing keeps the lock.
        (await Server.PatchAsync($"/api/v1/scripts/{id}", new { codeDraft = "x = 3\n" }, Token)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{id}/lock", null, Token)).AssertOk();

        var set = id[..id.IndexOf("__", StringComparison.Ordinal)];
        (await Server.DeleteAsync($"/api/v1/script-sets/{set}", other)).AssertError(403.21, "EBizCondition.ScriptLocked");
        (await Server.GetAsync($"/api/v1/scripts/{id}", other)).AssertOk();

        (await Server.DeleteAsync($"/api/v1/scripts/{id}/lock", Token)).AssertOk();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await Server.GetAsync($"/api/v1/scripts/{id}", other)).AssertOk().GetProperty("lock").ValueKind);
        (await Server.PatchAsync($"/api/v1/scripts/{id}", new { codeDraft = "x = 4\n" }, other)).AssertOk();
    }
}
