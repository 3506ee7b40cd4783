using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFunc.Tests.Infrastructure;
using OrleansFunc.Tests.Infrastructure.DataServers;
using Xunit;

namespace OrleansFunc.Tests.Library;

/// <summary>Script packages: export from one server, import into a fresh one (SPEC M5, M6).</summary>
[Collection(SharedServerCollection.Name)]
public sealed class ScriptPackageTests(SharedServerFixture fixture)
{
    private const string Code = "@DFF.API('Hello')\ndef hello(name='you'):\n    return 'hi ' + name + DFF.ENV('PK_SUFFIX')\n";

    [Fact]
    public async Task SealedPackage_MovesSetsLinksConfigsBatchesAndEnvVariables_ToAFreshServer()
    {
        var source = fixture.Server;
        var token = fixture.AdminToken;
        var set = SharedServerFixture.UniqueId("pk");
        (await source.PostAsync("/api/v1/script-sets", new { id = set, title = "Packaged" }, token)).AssertOk();
        (await source.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = Code }, token)).AssertOk();
        (await source.PostAsync($"/api/v1/scripts/{set}__main/publish", null, token)).AssertOk();
        var funcId = $"{set}__main.hello";
        (await source.PostAsync("/api/v1/env-variables", new { id = "PK_SUFFIX", valueTEXT = "!" }, token)).AssertOk();
        (await source.PostAsync("/api/v1/auth-links", new { id = $"{set}-link", funcId }, token)).AssertOk();
        (await source.PostAsync("/api/v1/crontab-configs", new { id = $"{set}-cron", funcId, crontab = "0 0 1 1 *" }, token)).AssertOk();
        (await source.PostAsync("/api/v1/batches", new { id = $"{set}-bat", funcId }, token)).AssertOk();
        var mariaDb = await TestDataServers.MariaDbConfigAsync();
        (await source.PostAsync("/api/v1/data-sources", new { id = $"{set}_db", type = "mysql", configJSON = mariaDb }, token)).AssertOk();

        var exported = (await source.PostAsync("/api/v1/script-packages/export", new
        {
            scriptSetIds = new[] { set }, includeAuthLinks = true, includeCrontabConfigs = true, includeBatches = true,
            envVariableIds = new[] { "PK_SUFFIX" }, dataSourceIds = new[] { $"{set}_db" }, withPassword = true, note = "moving",
        }, token)).AssertOk();
        Assert.Matches(@"^dataflux-func-\d{8}_\d{6}\.func-pkg$", exported.GetProperty("fileName").GetString());
        var password = exported.GetProperty("password").GetString()!;
        Assert.True(password.Length >= 16 && password.Any(char.IsUpper) && password.Any(char.IsLower));
        var file = Convert.FromBase64String(exported.GetProperty("file").GetString()!);
        Assert.DoesNotContain(TestDataServers.Password, Encoding.UTF8.GetString(file));

        await using var target = await TestServer.StartOnSharedPostgresAsync();
        var targetToken = await target.SetUpAndSignInAsync();
        var tampered = (byte[])file.Clone();
        tampered[^5] ^= 1;
        (await ImportAsync(target, targetToken, file, "wrong-password")).AssertError(403.21);
        (await ImportAsync(target, targetToken, file, null)).AssertError(403.21);
        (await ImportAsync(target, targetToken, tampered, password)).AssertError(403.21);
        (await ImportAsync(target, targetToken, file[..40], password)).AssertError(400.43);
        (await ImportAsync(target, targetToken, "not a package at all"u8.ToArray(), password)).AssertError(400.43);
        (await target.GetAsync($"/api/v1/script-sets/{set}", targetToken)).AssertError(404.41);
        Assert.Empty((await target.GetAsync("/api/v1/script-packages/import-history", targetToken)).AssertOk().EnumerateArray());

        var preview = (await ImportAsync(target, targetToken, file, password)).AssertOk();
        Assert.Equal("moving", preview.GetProperty("note").GetString());
        var diff = preview.GetProperty("diff").EnumerateArray().Select(d => (d.GetProperty("type").GetString(), d.GetProperty("action").GetString())).ToList();
        Assert.Equal([("scriptSet", "add"), ("script", "add"), ("authLink", "add"), ("crontabConfig", "add"), ("batch", "add"),
            ("dataSource", "add"), ("envVariable", "add")], diff);
        (await target.GetAsync($"/api/v1/script-sets/{set}", targetToken)).AssertError(404.41);

        var confirmId = preview.GetProperty("confirmId").GetString()!;
        var imported = (await target.PostAsync($"/api/v1/script-packages/import/{confirmId}/confirm", null, targetToken)).AssertOk();
        (await target.PostAsync($"/api/v1/script-packages/import/{confirmId}/confirm", null, targetToken)).AssertError(404.41);

        using (var call = await target.Http.GetAsync($"/api/v1/al/{set}-link/simplified?name=there"))
        {
            Assert.Equal("hi there!", await call.Content.ReadAsStringAsync());
        }
        Assert.Equal("0 0 1 1 *", (await target.GetAsync($"/api/v1/crontab-configs/{set}-cron", targetToken)).AssertOk().GetProperty("crontab").GetString());
        (await target.GetAsync($"/api/v1/batches/{set}-bat", targetToken)).AssertOk();
        Assert.Equal(Code, (await target.GetAsync($"/api/v1/scripts/{set}__main", targetToken)).AssertOk().GetProperty("code").GetString());
        var history = Assert.Single((await target.GetAsync("/api/v1/script-packages/import-history", targetToken)).AssertOk().EnumerateArray());
        Assert.Equal(imported.GetProperty("restorePointId").GetString(), history.GetProperty("restorePointId").GetString());
        Assert.DoesNotContain("def hello", history.GetRawText());
        Assert.Equal("beforeImport", (await target.GetAsync("/api/v1/restore-points", targetToken)).AssertOk()[0].GetProperty("kind").GetString());
        var importedSource = (await target.GetAsync($"/api/v1/data-sources/{set}_db", targetToken)).AssertOk();
        Assert.Empty(importedSource.GetProperty("secretsSet").EnumerateArray());
        Assert.Equal(mariaDb["host"]?.ToString(), importedSource.GetProperty("configJSON").GetProperty("host").GetString());
        // The password is set here; a later import of the same package keeps it.
        (await target.PatchAsync($"/api/v1/data-sources/{set}_db", new { configJSON = mariaDb }, targetToken)).AssertOk();

        // A second import replaces the set whole: a script added meanwhile is gone.
        (await target.PostAsync("/api/v1/scripts", new { id = $"{set}__extra", codeDraft = "x = 1\n" }, targetToken)).AssertOk();
        var again = (await ImportAsync(target, targetToken, file, password)).AssertOk();
        Assert.All(again.GetProperty("diff").EnumerateArray(), d => Assert.Equal("replace", d.GetProperty("action").GetString()));
        (await target.PostAsync($"/api/v1/script-packages/import/{again.GetProperty("confirmId").GetString()}/confirm", null, targetToken)).AssertOk();
        (await target.GetAsync($"/api/v1/scripts/{set}__extra", targetToken)).AssertError(404.41);
        Assert.Equal(["password"], (await target.GetAsync($"/api/v1/data-sources/{set}_db", targetToken)).AssertOk()
            .GetProperty("secretsSet").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task PackageOfDataFluxFunc1x_IsImported_AndCodeThatFailsTheCheck_ChangesNothing()
    {
        var server = fixture.Server;
        var token = fixture.AdminToken;
        var set = SharedServerFixture.UniqueId("lg");
        var legacy = LegacyPackage(set, "@DFF.API('Add')\ndef add(a, b):\n    return a + b\n", "legacy-pass");

        var preview = (await ImportJsonAsync(server, token, legacy, "legacy-pass")).AssertOk();
        (await server.PostAsync($"/api/v1/script-packages/import/{preview.GetProperty("confirmId").GetString()}/confirm", null, token)).AssertOk();
        var result = (await server.PostAsync($"/api/v1/func/{set}__util.add", new { kwargs = new { a = 2, b = 3 } }, token)).AssertOk();
        Assert.Equal(5, result.GetProperty("result").GetInt32());
        var link = (await server.GetAsync($"/api/v1/auth-links/{set}-al", token)).AssertOk();
        Assert.Equal(2, link.GetProperty("funcCallKwargs").GetProperty("a").GetInt32());
        (await ImportJsonAsync(server, token, legacy, "wrong")).AssertError(403.21);

        var broken = SharedServerFixture.UniqueId("lb");
        var refused = (await ImportJsonAsync(server, token, LegacyPackage(broken, "def broken(:\n    pass\n", "p"), "p")).AssertError(400.9);
        Assert.Contains($"{broken}__util", refused.Body.GetProperty("message").GetString());
        (await server.GetAsync($"/api/v1/script-sets/{broken}", token)).AssertError(404.41);

        // A multipart body without its parts is the caller's error, not the server's.
        using var cut = new HttpRequestMessage(HttpMethod.Post, "/api/v1/script-packages/import")
        {
            Content = new StringContent("no parts here") { Headers = { ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz") } },
        };
        cut.Headers.Add("X-Dff-Auth-Token", token);
        using var cutAnswer = await server.Http.SendAsync(cut);
        var cutText = await cutAnswer.Content.ReadAsStringAsync();
        Assert.True(cutAnswer.StatusCode == System.Net.HttpStatusCode.BadRequest, cutText);
        Assert.Contains("InvalidBody", cutText);
    }

    [Fact]
    public async Task RoundTrip_DataFluxFunc1x_ToOrleansFunc_AndBack_KeepsEveryScriptLinkConfigBatchAndVariable()
    {
        var server = fixture.Server;
        var token = fixture.AdminToken;
        var set = SharedServerFixture.UniqueId("rt");
        var code = "import time\n\n" +
                   "@DFF.API('Add', category='math', cache_result=30, integration='autoRun', integration_config={'onPublish': False})\n" +
                   "def add(a, b):\n    return a + b\n\n" +
                   "@DFF.API('Old', queue=9)\ndef old():\n    return time.clock(), DFF.SIGN('x')\n";
        var legacy = LegacyPackage(set, code, "go-back", withEverything: true);
        var preview = (await ImportJsonAsync(server, token, legacy, "go-back")).AssertOk();
        // The migration report, before anything is confirmed: what the 1.x code will find otherwise here.
        var notes = preview.GetProperty("migrationNotes").EnumerateArray()
            .Select(n => (n.GetProperty("scriptId").GetString(), n.GetProperty("line").GetInt32(), n.GetProperty("name").GetString())).ToArray();
        Assert.Equal([($"{set}__util", 7, "DFF.API(queue=)"), ($"{set}__util", 9, "DFF.SIGN"), ($"{set}__util", 9, "time.clock")], notes);
        (await server.PostAsync($"/api/v1/script-packages/import/{preview.GetProperty("confirmId").GetString()}/confirm", null, token)).AssertOk();
        Assert.Equal(5, (await server.PostAsync($"/api/v1/func/{set}__util.add", new { kwargs = new { a = 2, b = 3 } }, token)).AssertOk()
            .GetProperty("result").GetInt32());

        var exported = (await server.PostAsync("/api/v1/script-packages/export", new
        {
            scriptSetIds = new[] { set }, includeAuthLinks = true, includeCrontabConfigs = true, includeBatches = true,
            envVariableIds = new[] { $"{set.ToUpperInvariant()}_ENV" }, withPassword = true, format = "dataflux-func-1", note = "back to 1.x",
        }, token)).AssertOk();
        var password = exported.GetProperty("password").GetString()!;
        var payload = OpenLegacyPackage(Convert.FromBase64String(exported.GetProperty("file").GetString()!), password);

        Assert.Equal(set, payload["scriptSets"]![0]!["id"]!.GetValue<string>());
        var script = payload["scripts"]!.AsArray().Single()!;
        Assert.Equal((set + "__util", set, code), (script["id"]!.GetValue<string>(), script["scriptSetId"]!.GetValue<string>(), script["code"]!.GetValue<string>()));
        var func = payload["funcs"]!.AsArray().First()!;
        Assert.Equal(2, payload["funcs"]!.AsArray().Count);
        Assert.Equal((set + "__util.add", "add", "math", "autoRun"), (func["id"]!.GetValue<string>(), func["name"]!.GetValue<string>(),
            func["category"]!.GetValue<string>(), func["integration"]!.GetValue<string>()));
        Assert.Equal("""{"cacheResult":30,"integrationConfig":{"onPublish":false}}""", func["extraConfigJSON"]!.GetValue<string>());
        Assert.Equal("""["a","b"]""", func["argsJSON"]!.GetValue<string>());
        var link = payload["authLinks"]!.AsArray().Single()!;
        Assert.Equal((set + "-al", set + "__util.add", 1), (link["id"]!.GetValue<string>(), link["funcId"]!.GetValue<string>(), link["showInDoc"]!.GetValue<int>()));
        Assert.Equal(2, JsonNode.Parse(link["funcCallKwargsJSON"]!.GetValue<string>())!["a"]!.GetValue<int>());
        Assert.Equal(5, JsonNode.Parse(link["throttlingJSON"]!.GetValue<string>())!["bySecond"]!.GetValue<int>());
        var crontab = payload["crontabConfigs"]!.AsArray().Single()!;
        Assert.Equal((set + "-cron", "*/5 * * * *", 1), (crontab["id"]!.GetValue<string>(), crontab["crontab"]!.GetValue<string>(), crontab["isDisabled"]!.GetValue<int>()));
        var batch = payload["batches"]!.AsArray().Single()!;
        Assert.Equal((set + "-bat", "batch note"), (batch["id"]!.GetValue<string>(), batch["note"]!.GetValue<string>()));
        var variable = payload["envVariables"]!.AsArray().Single()!;
        Assert.Equal(("42", "integer"), (variable["valueTEXT"]!.GetValue<string>(), variable["autoTypeCasting"]!.GetValue<string>()));
        Assert.Equal("back to 1.x", payload["note"]!.GetValue<string>());

        // What we wrote reads back as a 1.x package.
        var again = (await ImportJsonAsync(server, token, Convert.FromBase64String(exported.GetProperty("file").GetString()!), password)).AssertOk();
        Assert.Contains(set, again.GetRawText());
    }

    /// <summary>The <c>dataflux-func.json</c> of a 1.x package, opened the way 1.x opens it.</summary>
    private static JsonNode OpenLegacyPackage(byte[] file, string password)
    {
        using var aes = Aes.Create();
        aes.Key = Encoding.UTF8.GetBytes(password.PadRight((password.Length / 32 + 1) * 32))[..32];
        var plain = Encoding.ASCII.GetString(aes.DecryptCbc(Convert.FromBase64String(Encoding.ASCII.GetString(file)), new byte[16], PaddingMode.None)).Trim();
        using var zip = new ZipArchive(new MemoryStream(Convert.FromBase64String(plain)), ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry("dataflux-func.json")!.Open());
        return JsonNode.Parse(reader.ReadToEnd())!;
    }

    private static async Task<ApiResponse> ImportAsync(TestServer server, string token, byte[] file, string? password)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(file), "file", "package.func-pkg" } };
        if (password is not null)
        {
            form.Add(new StringContent(password), "password");
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/script-packages/import") { Content = form };
        request.Headers.Add("X-Dff-Auth-Token", token);
        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new ApiResponse((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), text, "POST import");
    }

    private static Task<ApiResponse> ImportJsonAsync(TestServer server, string token, byte[] file, string password) =>
        server.PostAsync("/api/v1/script-packages/import", new { file = Convert.ToBase64String(file), password }, token);

    /// <summary>A package as DataFlux Func 1.x writes it (reference section 6.5).</summary>
    private static byte[] LegacyPackage(string set, string code, string password, bool withEverything = false)
    {
        var payload = JsonSerializer.Serialize(new
        {
            scriptSets = new[] { new { id = set, title = "Legacy", description = "" } },
            scripts = new[] { new { id = $"{set}__util", scriptSetId = set, title = "Util", description = "", code } },
            funcs = Array.Empty<object>(),
            authLinks = new[] { new { id = $"{set}-al", funcId = $"{set}__util.add", funcCallKwargsJSON = "{\"a\": 2, \"b\": \"INPUT_BY_CALLER\"}",
                throttlingJSON = withEverything ? "{\"bySecond\": 5}" : "{}", expireTime = (string?)null, showInDoc = 1, isDisabled = 0, note = "" } },
            crontabConfigs = withEverything
                ? new[] { new { id = $"{set}-cron", funcId = $"{set}__util.add", funcCallKwargsJSON = "{\"a\": 1, \"b\": 1}", crontab = "*/5 * * * *",
                    expireTime = (string?)null, isDisabled = 1, note = "" } }
                : [],
            batches = withEverything
                ? new[] { new { id = $"{set}-bat", funcId = $"{set}__util.add", funcCallKwargsJSON = "{}", isDisabled = 0, note = "batch note" } }
                : [],
            envVariables = withEverything
                ? new[] { new { id = $"{set.ToUpperInvariant()}_ENV", title = "", description = "", valueTEXT = "42", autoTypeCasting = "integer" } }
                : [],
            note = "from 1.x",
        });
        using var zipBuffer = new MemoryStream();
        using (var zip = new ZipArchive(zipBuffer, ZipArchiveMode.Create, leaveOpen: true))
        using (var entry = zip.CreateEntry("dataflux-func.json").Open())
        {
            entry.Write(Encoding.UTF8.GetBytes(payload));
        }
        var plain = Convert.ToBase64String(zipBuffer.ToArray());
        plain = plain.PadRight((plain.Length / 16 + 1) * 16);
        using var aes = Aes.Create();
        aes.Key = Encoding.UTF8.GetBytes(password.PadRight(32));
        return Encoding.ASCII.GetBytes(Convert.ToBase64String(aes.EncryptCbc(Encoding.ASCII.GetBytes(plain), new byte[16], PaddingMode.None)));
    }
}
