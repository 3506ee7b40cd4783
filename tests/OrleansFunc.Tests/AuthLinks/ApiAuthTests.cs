using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.AuthLinks;

/// <summary>
/// API authentication methods on auth links and batches (DataFlux Func 2021): a fixed header or query field, HTTP Basic
/// users, or a func that decides. A wrong or missing credential answers 401.99 and runs nothing; the link ID alone no
/// longer lets a caller in.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class ApiAuthTests(SharedServerFixture fixture)
{
    private const string Code = """
        @DFF.API('Echo')
        def echo(**kwargs):
            return kwargs

        @DFF.API('Bearer check')
        def bearer():
            return _DFF_HTTP_REQUEST['headers'].get('authorization') == 'Bearer good-token'

        @DFF.API('No body check')
        def no_body():
            return _DFF_HTTP_REQUEST['body'] == {}
        """;

    private TestServer Server => fixture.Server;
    private string Admin => fixture.AdminToken;

    private async Task<string> ScriptAsync()
    {
        var set = SharedServerFixture.UniqueId("apia");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, Admin)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = Code }, Admin)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{set}__main/publish", null, Admin)).AssertOk();
        return $"{set}__main";
    }

    private async Task<string> ApiAuthAsync(object body) =>
        (await Server.PostAsync("/api/v1/api-auths", body, Admin)).AssertOk().GetProperty("id").GetString()!;

    private async Task<string> LinkAsync(string funcId, string apiAuthId, object? throttling = null) =>
        (await Server.PostAsync("/api/v1/auth-links", new { funcId, apiAuthId, throttling, showInDoc = true }, Admin)).AssertOk()
            .GetProperty("id").GetString()!;

    private async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> CallAsync(
        HttpMethod method, string path, Action<HttpRequestMessage>? credentials = null)
    {
        using var request = new HttpRequestMessage(method, path);
        credentials?.Invoke(request);
        var response = await Server.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    private static void AssertRefused((HttpStatusCode Status, string Body, HttpResponseMessage Response) call, string message)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, call.Status);
        using var envelope = JsonDocument.Parse(call.Body);
        Assert.Equal(401.99, envelope.RootElement.GetProperty("error").GetDouble());
        Assert.Equal("EAPIAuth", envelope.RootElement.GetProperty("reason").GetString());
        Assert.Equal(message, envelope.RootElement.GetProperty("message").GetString());
    }

    private static Action<HttpRequestMessage> Basic(string user, string password) => request =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    [Fact]
    public async Task AFixedHeaderField_LetsInOnlyCallersWhoSendIt()
    {
        var script = await ScriptAsync();
        var auth = await ApiAuthAsync(new { name = "Partner key", type = "fixedField", fields = new[] { new { location = "header", name = "X-Partner-Key", value = "k-123456" } } });
        var link = await LinkAsync($"{script}.echo", auth);

        AssertRefused(await CallAsync(HttpMethod.Get, $"/api/v1/al/{link}/simplified?a=1"), "Fixed Field Auth failed");
        AssertRefused(await CallAsync(HttpMethod.Get, $"/api/v1/al/{link}/simplified?a=1", r => r.Headers.Add("X-Partner-Key", "k-1234567")),
            "Fixed Field Auth failed");
        var passed = await CallAsync(HttpMethod.Get, $"/api/v1/al/{link}/simplified?a=1", r => r.Headers.Add("X-Partner-Key", "k-123456"));
        Assert.Equal(HttpStatusCode.OK, passed.Status);
        Assert.Equal("{\"a\": \"1\"}", passed.Body);

        // Listed without the value (kept sealed at rest); read with it, for the call examples.
        var listed = (await Server.ListAllAsync("/api/v1/api-auths", Admin)).Single(a => a.GetProperty("id").GetString() == auth);
        Assert.Equal("", listed.GetProperty("fields")[0].GetProperty("value").GetString());
        Assert.Equal("k-123456", (await Server.GetAsync($"/api/v1/api-auths/{auth}", Admin)).AssertOk().GetProperty("fields")[0].GetProperty("value").GetString());
        var examples = (await Server.GetAsync($"/api/v1/auth-links/{link}/examples", Admin)).AssertOk();
        Assert.All(examples.EnumerateArray(), e => Assert.Contains("-H 'X-Partner-Key: k-123456'", e.GetProperty("curl").GetString()));
        // The public docs say a link needs a credential, never which.
        var doc = (await Server.GetAsync($"/api/v1/auth-link-func-list?scriptId={script}&pageSize=100")).AssertOk().EnumerateArray().Single(d => d.GetProperty("id").GetString() == link);
        Assert.Equal("fixedField", doc.GetProperty("apiAuthType").GetString());
        var publicExamples = (await Server.GetAsync($"/api/v1/auth-link-func-list/{link}/examples")).AssertOk().GetRawText();
        Assert.DoesNotContain("k-123456", publicExamples);
        Assert.Contains("X-Partner-Key: <X-Partner-Key>", publicExamples);
    }

    [Fact]
    public async Task AFixedQueryField_IsNoKwargOfTheFunc()
    {
        var script = await ScriptAsync();
        var auth = await ApiAuthAsync(new { type = "fixedField", fields = new[] { new { location = "query", name = "token", value = "q-secret-9" } } });
        var link = await LinkAsync($"{script}.echo", auth);

        AssertRefused(await CallAsync(HttpMethod.Get, $"/api/v1/al/{link}/simplified?a=1&token=nope"), "Fixed Field Auth failed");
        // The field's name as configured, as 1.x's req.query[name]: another case is another field (and no credential).
        AssertRefused(await CallAsync(HttpMethod.Get, $"/api/v1/al/{link}/simplified?a=1&TOKEN=q-secret-9"), "Fixed Field Auth failed");
        var passed = await CallAsync(HttpMethod.Get, $"/api/v1/al/{link}/simplified?a=1&token=q-secret-9");
        Assert.Equal(HttpStatusCode.OK, passed.Status);
        Assert.Equal("{\"a\": \"1\"}", passed.Body);
        var standard = await CallAsync(HttpMethod.Get, $"/api/v1/al/{link}?token=q-secret-9&kwargs={Uri.EscapeDataString("{\"b\": 2}")}");
        Assert.Contains("\"b\": 2", standard.Body);
    }

    [Fact]
    public async Task HttpBasic_AsksForCredentials_AndAPasswordChangeTakesEffect()
    {
        var script = await ScriptAsync();
        var auth = await ApiAuthAsync(new { type = "httpBasic", users = new[] { new { username = "ci", password = "ci-password-1" } } });
        var link = await LinkAsync($"{script}.echo", auth);

        var asked = await CallAsync(HttpMethod.Get, $"/api/v1/al/{link}/simplified");
        AssertRefused(asked, "HTTP Basic Auth failed");
        Assert.Equal("Basic", asked.Response.Headers.WwwAuthenticate.Single().Scheme);
        AssertRefused(await CallAsync(HttpMethod.Get, $"/api/v1/al/{link}/simplified", Basic("ci", "wrong-password")), "HTTP Basic Auth failed");
        AssertRefused(await CallAsync(HttpMethod.Get, $"/api/v1/al/{link}/simplified", Basic("other", "ci-password-1")), "HTTP Basic Auth failed");
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await CallAsync(HttpMethod.Get, $"/api/v1/al/{link}/simplified", Basic("ci", "ci-password-1"))).Status);
        }
        var shown = (await Server.GetAsync($"/api/v1/api-auths/{auth}", Admin)).AssertOk();
        Assert.Equal(JsonValueKind.Null, shown.GetProperty("users")[0].GetProperty("password").ValueKind);

        // A new password: the one the front end remembered as checked no longer passes.
        (await Server.PatchAsync($"/api/v1/api-auths/{auth}", new { users = new[] { new { username = "ci", password = "ci-password-2" } } }, Admin)).AssertOk();
        AssertRefused(await CallAsync(HttpMethod.Get, $"/api/v1/al/{link}/simplified", Basic("ci", "ci-password-1")), "HTTP Basic Auth failed");
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(HttpMethod.Get, $"/api/v1/al/{link}/simplified", Basic("ci", "ci-password-2"))).Status);
        // A user sent again without a password keeps the one it had.
        (await Server.PatchAsync($"/api/v1/api-auths/{auth}", new { note = "kept", users = new[] { new { username = "ci" } } }, Admin)).AssertOk();
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(HttpMethod.Get, $"/api/v1/al/{link}/simplified", Basic("ci", "ci-password-2"))).Status);
    }

    [Fact]
    public async Task AFunc_DecidesFromTheRequest_AndABatchAsksTheSame()
    {
        var script = await ScriptAsync();
        var auth = await ApiAuthAsync(new { type = "func", funcId = $"{script}.bearer" });
        var link = await LinkAsync($"{script}.echo", auth);

        AssertRefused(await CallAsync(HttpMethod.Get, $"/api/v1/al/{link}/simplified", r => r.Headers.Add("Authorization", "Bearer bad-token")),
            "Func Auth failed");
        var passed = await CallAsync(HttpMethod.Get, $"/api/v1/al/{link}/simplified?x=1", r => r.Headers.Add("Authorization", "Bearer good-token"));
        Assert.Equal(HttpStatusCode.OK, passed.Status);
        Assert.Equal("{\"x\": \"1\"}", passed.Body);

        var batch = (await Server.PostAsync("/api/v1/batches", new { funcId = $"{script}.echo", apiAuthId = auth }, Admin)).AssertOk().GetProperty("id").GetString();
        AssertRefused(await CallAsync(HttpMethod.Post, $"/api/v1/bat/{batch}"), "Func Auth failed");
        var queued = await CallAsync(HttpMethod.Post, $"/api/v1/bat/{batch}", r => r.Headers.Add("Authorization", "Bearer good-token"));
        Assert.Equal(HttpStatusCode.OK, queued.Status);
        Assert.Contains("taskId", queued.Body);
    }

    [Fact]
    public async Task AFunc_SeesAJsonBody_ButNotAFormOrRawBody_WhichIsReadOnlyOnceTheCallerPassed()
    {
        var script = await ScriptAsync();
        var auth = await ApiAuthAsync(new { type = "func", funcId = $"{script}.no_body" });
        var link = await LinkAsync($"{script}.echo", auth);

        // A JSON body is read before the check, and the func sees it: here it refuses any body.
        using (var json = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/al/{link}/simplified") { Content = JsonContent.Create(new { x = "1" }) })
        {
            var refused = await Server.Http.SendAsync(json);
            AssertRefused((refused.StatusCode, await refused.Content.ReadAsStringAsync(), refused), "Func Auth failed");
        }
        // A form (with a file) and a raw body are read only once the caller passed: the func sees {} for them.
        using (var form = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/al/{link}/simplified")
        {
            Content = new MultipartFormDataContent { { new StringContent("2"), "x" }, { new ByteArrayContent([1, 2, 3]), "files", "f.bin" } },
        })
        {
            var passed = await Server.Http.SendAsync(form);
            var body = await passed.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, passed.StatusCode);
            Assert.Contains("\"x\": \"2\"", body);
            Assert.Contains("f.bin", body);
        }
        using (var raw = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/al/{link}/simplified")
        {
            Content = new ByteArrayContent([1, 2, 3]) { Headers = { ContentType = new("application/octet-stream") } },
        })
        {
            var passed = await Server.Http.SendAsync(raw);
            Assert.Equal(HttpStatusCode.OK, passed.StatusCode);
            Assert.Equal("{\"base64\": \"AQID\"}", await passed.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task ACallerWithoutTheCredential_StoresNoUploadedFile()
    {
        var script = await ScriptAsync();
        var auth = await ApiAuthAsync(new { type = "fixedField", fields = new[] { new { location = "header", name = "X-Key", value = "upload-key-1" } } });
        var link = await LinkAsync($"{script}.echo", auth);
        var uploads = Path.Combine(Server.DataFolder, "uploads");
        int Stored() => Directory.Exists(uploads) ? Directory.EnumerateFiles(uploads, "*", SearchOption.AllDirectories).Count() : 0;
        var before = Stored();

        using var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[64 * 1024]), "files", "big.bin" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/al/{link}/simplified") { Content = form };
        var refused = await Server.Http.SendAsync(request);
        AssertRefused((refused.StatusCode, await refused.Content.ReadAsStringAsync(), refused), "Fixed Field Auth failed");
        Assert.Equal(before, Stored());
    }

    [Fact]
    public async Task CallersWhoFail_UseNoneOfTheLinksLimit()
    {
        var script = await ScriptAsync();
        var auth = await ApiAuthAsync(new { type = "fixedField", fields = new[] { new { location = "header", name = "X-Key", value = "limit-key-1" } } });
        var link = await LinkAsync($"{script}.echo", auth, new { byMinute = 2 });

        // The eight calls inside one minute of the clock, the link's window.
        await MinuteClock.WaitForSecondOfMinuteAsync(0, 45);
        for (var i = 0; i < 5; i++)
        {
            AssertRefused(await CallAsync(HttpMethod.Get, $"/api/v1/al/{link}/simplified"), "Fixed Field Auth failed");
        }
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await CallAsync(HttpMethod.Get, $"/api/v1/al/{link}/simplified", r => r.Headers.Add("X-Key", "limit-key-1"))).Status);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests,
            (await CallAsync(HttpMethod.Get, $"/api/v1/al/{link}/simplified", r => r.Headers.Add("X-Key", "limit-key-1"))).Status);
    }

    [Fact]
    public async Task OnlyAdministratorsChangeThem_AndOneInUseIsNotDeleted()
    {
        var script = await ScriptAsync();
        var auth = await ApiAuthAsync(new { type = "fixedField", fields = new[] { new { location = "header", name = "X-Key", value = "in-use-key-1" } } });
        var link = await LinkAsync($"{script}.echo", auth);

        var member = SharedServerFixture.UniqueId("m");
        (await Server.PostAsync("/api/v1/users", new { username = member, password = "member-password-1", role = "member" }, Admin)).AssertOk();
        var memberToken = await Server.SignInAsync(member, "member-password-1");
        (await Server.PostAsync("/api/v1/api-auths", new { type = "func", funcId = $"{script}.bearer" }, memberToken)).AssertError(403.15);
        (await Server.GetAsync($"/api/v1/api-auths/{auth}", memberToken)).AssertOk();

        (await Server.PostAsync("/api/v1/api-auths", new { type = "fixedField", fields = Array.Empty<object>() }, Admin)).AssertError(400.43, "EClientBadRequest.NoFixedField");
        (await Server.PostAsync("/api/v1/api-auths", new { type = "func", funcId = "nowhere__x.f" }, Admin)).AssertError(404.41);
        (await Server.PostAsync("/api/v1/auth-links", new { funcId = $"{script}.echo", apiAuthId = "no_such_auth" }, Admin)).AssertError(404.41);

        var inUse = (await Server.DeleteAsync($"/api/v1/api-auths/{auth}", Admin)).AssertError(403.21, "EBizCondition.ApiAuthInUse");
        Assert.Contains(link, inUse.Message);
        (await Server.PatchAsync($"/api/v1/auth-links/{link}", new { apiAuthId = "" }, Admin)).AssertOk();
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(HttpMethod.Get, $"/api/v1/al/{link}/simplified")).Status);
        (await Server.DeleteAsync($"/api/v1/api-auths/{auth}", Admin)).AssertOk();
    }
}
