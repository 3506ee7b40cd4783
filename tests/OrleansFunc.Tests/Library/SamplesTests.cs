using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Library;

/// <summary>The sample script set a fresh installation offers (issue 24, item 7), on a server of its own (its IDs are fixed).</summary>
public sealed class SamplesTests
{
    [Fact]
    public async Task TheSamples_ArePublishedWithALinkAConfigAndAVariable_RefusedTwice_AndRemovedLikeAnyOtherSet()
    {
        await using var server = await TestServer.StartOnSharedPostgresAsync();
        var token = await server.SetUpAndSignInAsync();
        var added = (await server.PostAsync("/api/v1/samples", null, token)).AssertOk();
        Assert.Equal("samples", added.GetProperty("scriptSetId").GetString());

        Assert.Equal("Hello, world!", (await server.PostAsync("/api/v1/func/samples__hello.hello_world", new { kwargs = new { } }, token))
            .AssertOk().GetProperty("result").GetString());
        Assert.Equal(3.5, (await server.PostAsync("/api/v1/func/samples__arguments.plus", new { kwargs = new { x = 1.5, y = 2 } }, token))
            .AssertOk().GetProperty("result").GetProperty("sum").GetDouble());
        using (var greeted = await server.Http.GetAsync("/api/v1/al/samples_greet/simplified?name=Ada"))
        {
            var body = System.Text.Json.JsonDocument.Parse(await greeted.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("Hello, Ada!", body.GetProperty("message").GetString());
            Assert.Equal(1, body.GetProperty("greetings").GetInt32());
            Assert.Equal("greet", greeted.Headers.GetValues("X-Sample").Single());
        }
        var config = (await server.GetAsync("/api/v1/crontab-configs/samples_hourly_hello", token)).AssertOk();
        Assert.Equal("samples__hello.hello_world", config.GetProperty("funcId").GetString());
        Assert.Equal("Hello", (await server.GetAsync("/api/v1/env-variables/samples_greeting", token)).AssertOk().GetProperty("valueTEXT").GetString());

        (await server.PostAsync("/api/v1/samples", null, token)).AssertError(409.42);
        // Its link and crontab config call its funcs: the delete says so and needs a confirmation.
        (await server.DeleteAsync("/api/v1/script-sets/samples", token)).AssertError(403.21, "EBizCondition.DeleteBreaksCalls");
        (await server.DeleteAsync("/api/v1/script-sets/samples?force=true", token)).AssertOk();
        (await server.GetAsync("/api/v1/scripts/samples__hello", token)).AssertError(404.41);
        // Added again after a delete; the link, config and variable kept from before are left as they were.
        (await server.PostAsync("/api/v1/samples", null, token)).AssertOk();

        (await server.PostAsync("/api/v1/users", new { username = "member1", password = "member-password" }, token)).AssertOk();
        var member = await server.SignInAsync("member1", "member-password");
        (await server.PostAsync("/api/v1/samples", null, member)).AssertError(403.15);
    }
}
