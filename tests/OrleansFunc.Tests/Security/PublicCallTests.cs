using System.Net;
using System.Text;
using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Security;

/// <summary>What an anonymous caller of the public routes can and cannot do to a func or the service.</summary>
[Collection(SharedServerCollection.Name)]
public sealed class PublicCallTests(SharedServerFixture fixture)
{
    private const string Code =
        "import time\n\n" +
        "@DFF.API('Short', timeout=1)\ndef short():\n    time.sleep(3)\n    return 'ran past its limit'\n\n" +
        "@DFF.API('Headers')\ndef headers():\n    return sorted(_DFF_HTTP_REQUEST['headers'].keys())\n\n" +
        "@DFF.API('Page')\ndef page():\n    return DFF.RESP('<script>document.title = localStorage.getItem(\"token\")</script>', headers={'Content-Security-Policy': 'default-src *'})\n\n" +
        "@DFF.API('Fixation')\ndef fixation():\n    return DFF.RESP('hi', headers={'set-cookie': 'dff_session=authors-token; Path=/api/', 'X-Kept': 'yes'})\n\n" +
        "@DFF.API('Tick')\ndef tick(secret=None):\n    return {'secret': secret}\n";

    private TestServer Server => fixture.Server;

    private async Task<string> ScriptAsync()
    {
        var set = SharedServerFixture.UniqueId("pc");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, fixture.AdminToken)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = Code }, fixture.AdminToken)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{set}__main/publish", null, fixture.AdminToken)).AssertOk();
        return $"{set}__main";
    }

    private async Task<string> LinkAsync(string funcId) =>
        (await Server.PostAsync("/api/v1/auth-links", new { funcId, funcCallKwargs = new { } }, fixture.AdminToken))
        .AssertOk().GetProperty("id").GetString()!;

    [Fact]
    public async Task CallerTimeout_LongerThanTheFuncsLimit_DoesNotLengthenIt()
    {
        var link = await LinkAsync($"{await ScriptAsync()}.short");

        var answer = await Server.PostAsync($"/api/v1/al/{link}", new { kwargs = new { }, options = new { timeout = 8 } });

        answer.AssertError(599.31);
    }

    [Fact]
    public async Task CredentialHeadersOfTheCaller_DoNotReachTheFunc()
    {
        var link = await LinkAsync($"{await ScriptAsync()}.headers");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/al/{link}");
        request.Headers.Add("X-Dff-Auth-Token", fixture.AdminToken);
        request.Headers.Add("Authorization", "Bearer " + fixture.AdminToken);
        request.Headers.Add("Cookie", "session=secret");
        request.Headers.Add("X-Kept", "yes");

        using var response = await Server.Http.SendAsync(request);
        var names = JsonSerializer.Deserialize<string[]>(await response.Content.ReadAsStringAsync())!;

        Assert.Contains("x-kept", names);
        Assert.DoesNotContain("x-dff-auth-token", names);
        Assert.DoesNotContain("authorization", names);
        Assert.DoesNotContain("cookie", names);
    }

    [Fact]
    public async Task AFuncsAnswer_CannotSetTheConsolesSessionCookie()
    {
        var link = await LinkAsync($"{await ScriptAsync()}.fixation");

        using var response = await Server.Http.GetAsync($"/api/v1/al/{link}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("yes", response.Headers.GetValues("X-Kept").Single());
        Assert.False(response.Headers.Contains("Set-Cookie"), string.Join("; ", response.Headers.Select(h => h.Key)));
    }

    [Fact]
    public async Task FuncResult_OfACrontabRun_IsNotAnsweredToAnonymousCallers()
    {
        var funcId = $"{await ScriptAsync()}.tick";
        var config = (await Server.PostAsync("/api/v1/crontab-configs",
            new { funcId, crontab = "0 0 1 1 *", funcCallKwargs = new { secret = "api-key-1" } }, fixture.AdminToken)).AssertOk();
        var id = config.GetProperty("id").GetString()!;
        var taskId = (await Server.PostAsync($"/api/v1/crontab-configs/{id}/run", null, fixture.AdminToken)).AssertOk()
            .GetProperty("taskId").GetString()!;
        var done = await Server.WaitForTaskAsync(taskId, TimeSpan.FromSeconds(30), fixture.AdminToken);
        Assert.Equal("success", done.GetProperty("status").GetString());

        var anonymous = await Server.GetAsync($"/api/v1/func-result?taskId={Uri.EscapeDataString(taskId)}");

        anonymous.AssertError(404.41);
        Assert.DoesNotContain("api-key-1", anonymous.Text);
    }

    [Fact]
    public async Task ScriptHtmlOfALink_IsServedSandboxed()
    {
        var link = await LinkAsync($"{await ScriptAsync()}.page");

        using var response = await Server.Http.GetAsync($"/api/v1/al/{link}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("sandbox", policy);
        Assert.DoesNotContain("allow-same-origin", policy);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }
}
