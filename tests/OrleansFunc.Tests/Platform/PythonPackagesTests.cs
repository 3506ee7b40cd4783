using System.Text;
using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Platform;

/// <summary>A server of its own (installed packages reach every run of it) and a local index with the tests' packages.</summary>
public sealed class PythonPackagesFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public string Admin { get; private set; } = "";

    public LocalPackageIndex Index { get; } = new();

    /// <summary>A file of the host's data folder (where its secret key and database live): what a package's build code must not see.</summary>
    public string SecretKeyFile => Path.Combine(Server.DataFolder, "host-only.secret");

    /// <summary>A wheel on no index: installed by upload, its dependency from the index.</summary>
    public string UploadedWheel { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var serverStart = TestServer.StartOnSharedPostgresAsync();
        Index.Publish("tinydep", await Index.BuildWheelAsync(LocalPackageIndex.Project("tinydep", "2.0", "VALUE = 42\n")));
        Index.Publish("tinypkg", await Index.BuildWheelAsync(LocalPackageIndex.Project("tinypkg", "1.0",
            "from tinydep import VALUE\n\ndef answer():\n    return VALUE\n", "tinydep>=1")));
        Index.Publish("needsmissing", await Index.BuildWheelAsync(LocalPackageIndex.Project("needsmissing", "1.0", "", "nosuchdep")));
        UploadedWheel = await Index.BuildWheelAsync(LocalPackageIndex.Project("wheelpkg", "3.0",
            "import tinydep\n\ndef doubled():\n    return tinydep.VALUE * 2\n", "tinydep"));
        await Index.StartAsync();
        Server = await serverStart;
        Admin = await Server.SetUpAndSignInAsync();
        (await Server.PutAsync("/api/v1/python-packages/index-url", new { indexUrl = Index.Url }, Admin)).AssertOk();
        await File.WriteAllTextAsync(SecretKeyFile, "not for packages");
        File.SetUnixFileMode(SecretKeyFile, (UnixFileMode)0b110_100_100);
        Index.Publish("probepkg", await Index.BuildProbingSdistAsync("probepkg", SecretKeyFile));
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Index.DisposeAsync();
    }
}

/// <summary>
/// Python packages for scripts (issue 23, item 3): installed from an index or an uploaded wheel by pip in the workers'
/// sandbox, imported by scripts with their dependencies, uninstalled with them; a failed install changes nothing.
/// </summary>
public sealed class PythonPackagesTests(PythonPackagesFixture fixture) : IClassFixture<PythonPackagesFixture>
{
    private TestServer Server => fixture.Server;
    private string Admin => fixture.Admin;

    private sealed record Ended(string Status, string Output, JsonElement Operation);

    /// <summary>Follows an operation's output from offset to offset, as the console does, until it ends.</summary>
    private async Task<Ended> FollowAsync(JsonElement started)
    {
        Assert.Equal("running", started.GetProperty("status").GetString());
        var id = started.GetProperty("id").GetString();
        var output = new StringBuilder();
        var offset = 0;
        var last = await Eventually.ValueAsync($"package operation {id} to end", async () =>
        {
            var chunk = (await Server.GetAsync($"/api/v1/python-packages/operations/{id}?offset={offset}", Admin)).AssertOk();
            output.Append(chunk.GetProperty("output").GetString());
            offset = chunk.GetProperty("nextOffset").GetInt32();
            return chunk;
        }, chunk => chunk.GetProperty("operation").GetProperty("status").GetString() != "running", TimeSpan.FromMinutes(3), TimeSpan.FromMilliseconds(200));
        var whole = (await Server.GetAsync($"/api/v1/python-packages/operations/{id}", Admin)).AssertOk().GetProperty("output").GetString();
        Assert.Equal(whole, output.ToString());
        return new Ended(last.GetProperty("operation").GetProperty("status").GetString()!, whole!, last.GetProperty("operation"));
    }

    private async Task<JsonElement> ViewAsync(string? token = null) => (await Server.GetAsync("/api/v1/python-packages", token ?? Admin)).AssertOk();

    private static Dictionary<string, (string Version, bool Requested)> Installed(JsonElement view) =>
        view.GetProperty("packages").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!,
            p => (p.GetProperty("version").GetString()!, p.GetProperty("requested").GetBoolean()));

    /// <summary>A published script whose func <c>f</c> runs <paramref name="body"/>; returns the func's ID.</summary>
    private async Task<string> ScriptAsync(string body)
    {
        var set = SharedServerFixture.UniqueId("pp");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, Admin)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = $"@DFF.API('F')\ndef f():\n{body}\n" }, Admin)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{set}__main/publish", null, Admin)).AssertOk();
        return $"{set}__main.f";
    }

    private Task<ApiResponse> CallAsync(string funcId) => Server.PostAsync($"/api/v1/func/{funcId}", new { kwargs = new { } }, Admin);

    [Fact]
    public async Task APackageFromTheIndex_IsImportedWithItsDependency_AndItsUninstallTakesBoth()
    {
        var before = (await ViewAsync()).GetProperty("generation").GetInt64();
        var install = await FollowAsync((await Server.PostAsync("/api/v1/python-packages/install", new { requirement = "TinyPkg" }, Admin)).AssertOk());
        Assert.True(install.Status == "succeeded", install.Output);
        // The whole set is installed again from its wheels (with what earlier tests left, if anything).
        var installedLine = install.Output.Split('\n').Single(line => line.StartsWith("Successfully installed", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("tinydep-2.0", installedLine);
        Assert.Contains("tinypkg-1.0", installedLine);
        var view = await ViewAsync();
        Assert.Equal(before + 1, view.GetProperty("generation").GetInt64());
        Assert.Equal(before + 1, install.Operation.GetProperty("generation").GetInt64());
        Assert.Equal(("1.0", true), Installed(view)["tinypkg"]);
        Assert.Equal(("2.0", false), Installed(view)["tinydep"]);

        // The installed copy wins over nothing else and lives in the data folder's generation, read-only to the script.
        var func = await ScriptAsync("    import tinypkg, os\n    return [tinypkg.answer(), tinypkg.__file__, os.access(tinypkg.__file__, os.W_OK)]");
        var result = (await CallAsync(func)).AssertOk().GetProperty("result");
        Assert.Equal(42, result[0].GetInt32());
        Assert.StartsWith(Path.Combine(Server.DataFolder, "python-packages", $"g{before + 1}") + "/", result[1].GetString());
        Assert.False(result[2].GetBoolean());

        // A dependency alone is not uninstalled: the package that needs it is.
        (await Server.PostAsync("/api/v1/python-packages/uninstall", new { name = "tinydep" }, Admin)).AssertError(403.21, "EBizCondition.RequiredByAnother");
        (await Server.PostAsync("/api/v1/python-packages/uninstall", new { name = "nothing-here" }, Admin)).AssertError(404.41);
        var uninstall = await FollowAsync((await Server.PostAsync("/api/v1/python-packages/uninstall", new { name = "tinypkg" }, Admin)).AssertOk());
        Assert.True(uninstall.Status == "succeeded", uninstall.Output);
        view = await ViewAsync();
        Assert.DoesNotContain("tinypkg", Installed(view).Keys);
        Assert.DoesNotContain("tinydep", Installed(view).Keys);
        // Workers of the older generation are replaced: the next run no longer finds the package.
        var gone = (await CallAsync(func)).AssertError(599.3);
        Assert.Contains("No module named 'tinypkg'", gone.Text);
    }

    [Fact]
    public async Task AnUploadedWheel_GetsItsDependencyFromTheIndex_AndAFailedInstallAfterItChangesNothing()
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(fixture.UploadedWheel)), "file", Path.GetFileName(fixture.UploadedWheel));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/python-packages/install-wheel") { Content = form };
        request.Headers.Add("X-Dff-Auth-Token", Admin);
        using var answer = await Server.Http.SendAsync(request);
        var started = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        Assert.True(started.GetProperty("ok").GetBoolean(), started.ToString());
        var install = await FollowAsync(started.GetProperty("data"));
        Assert.True(install.Status == "succeeded", install.Output);
        var func = await ScriptAsync("    import wheelpkg\n    return wheelpkg.doubled()");
        Assert.Equal(84, (await CallAsync(func)).AssertOk().GetProperty("result").GetInt32());
        var installed = await ViewAsync();

        // Its dependency is on no index: pip fails, and the installed packages, their generation and the runs stay as they were.
        var failed = await FollowAsync((await Server.PostAsync("/api/v1/python-packages/install", new { requirement = "needsmissing==1.0" }, Admin)).AssertOk());
        Assert.Equal("failed", failed.Status);
        Assert.Contains("nosuchdep", failed.Output);
        Assert.Contains("The installed packages are as they were", failed.Output);
        Assert.Contains("pip wheel", failed.Operation.GetProperty("error").GetString());
        var after = await ViewAsync();
        Assert.Equal(installed.GetProperty("generation").GetInt64(), after.GetProperty("generation").GetInt64());
        Assert.Equal(Installed(installed), Installed(after));
        Assert.Equal(84, (await CallAsync(func)).AssertOk().GetProperty("result").GetInt32());

        Assert.Equal("succeeded", (await FollowAsync((await Server.PostAsync("/api/v1/python-packages/uninstall", new { name = "wheelpkg" }, Admin)).AssertOk())).Status);
    }

    [Fact]
    public async Task APackagesBuildCode_RunsAsTheWorkersUser_InTheirSandbox_AndFailsWithoutAChange()
    {
        Assert.True(File.Exists(fixture.SecretKeyFile));
        var before = (await ViewAsync()).GetProperty("generation").GetInt64();
        var probe = await FollowAsync((await Server.PostAsync("/api/v1/python-packages/install", new { requirement = "probepkg" }, Admin)).AssertOk());
        Assert.Equal("failed", probe.Status);
        var report = probe.Output.Split('\n').Select(line => line.Trim()).First(line => line.Contains("PROBE uid=") && !line.Contains("%d"));
        var uid = int.Parse(report[(report.IndexOf("uid=", StringComparison.Ordinal) + 4)..].Split(' ')[0]);
        Assert.NotEqual(0, uid);
        Assert.Contains($"{fixture.SecretKeyFile}=hidden", report);
        Assert.Equal(before, (await ViewAsync()).GetProperty("generation").GetInt64());
    }

    [Fact]
    public async Task AnIndexUrlsPassword_IsMaskedInTheViewAndInTheOutputMembersRead()
    {
        var withPassword = fixture.Index.Url.Replace("http://", "http://mirror-user:s3cret-pass@", StringComparison.Ordinal);
        try
        {
            var view = (await Server.PutAsync("/api/v1/python-packages/index-url", new { indexUrl = withPassword }, Admin)).AssertOk();
            Assert.Equal(withPassword.Replace("s3cret-pass", "*****", StringComparison.Ordinal), view.GetProperty("indexUrl").GetString());
            var install = await FollowAsync((await Server.PostAsync("/api/v1/python-packages/install", new { requirement = "tinydep" }, Admin)).AssertOk());
            Assert.True(install.Status == "succeeded", install.Output);
            Assert.Contains("--index-url http://mirror-user:*****@", install.Output);
            Assert.DoesNotContain("s3cret-pass", install.Output);
        }
        finally
        {
            (await Server.PutAsync("/api/v1/python-packages/index-url", new { indexUrl = fixture.Index.Url }, Admin)).AssertOk();
        }
        Assert.Equal("succeeded", (await FollowAsync((await Server.PostAsync("/api/v1/python-packages/uninstall", new { name = "tinydep" }, Admin)).AssertOk())).Status);
    }

    [Fact]
    public async Task WhatPipWouldReadAsAnOptionAUrlOrAPath_IsRefused_AndMembersOnlyLook()
    {
        foreach (var requirement in new[] { "--index-url=http://127.0.0.1:1/ tinypkg", "-r /etc/passwd", "https://127.0.0.1/x.whl", "../wheelpkg", "a b", "", "x @ file:///etc" })
        {
            (await Server.PostAsync("/api/v1/python-packages/install", new { requirement }, Admin)).AssertError(400.43, "EClientBadRequest.InvalidRequirement");
        }
        foreach (var indexUrl in new[] { "ftp://127.0.0.1/simple", "not a url", "file:///etc" })
        {
            (await Server.PutAsync("/api/v1/python-packages/index-url", new { indexUrl }, Admin)).AssertError(400.43, "EClientBadRequest.InvalidIndexUrl");
        }
        Assert.Equal(fixture.Index.Url, (await ViewAsync()).GetProperty("indexUrl").GetString());

        using var form = new MultipartFormDataContent { { new ByteArrayContent("print(1)"u8.ToArray()), "file", "setup.py" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/python-packages/install-wheel") { Content = form };
        request.Headers.Add("X-Dff-Auth-Token", Admin);
        using var answer = await Server.Http.SendAsync(request);
        Assert.Contains("InvalidWheel", await answer.Content.ReadAsStringAsync());
        // A multipart body without its parts is the caller's error, not the server's.
        using var broken = new HttpRequestMessage(HttpMethod.Post, "/api/v1/python-packages/install-wheel")
        {
            Content = new StringContent("no parts here") { Headers = { ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz") } },
        };
        broken.Headers.Add("X-Dff-Auth-Token", Admin);
        using var brokenAnswer = await Server.Http.SendAsync(broken);
        Assert.True(brokenAnswer.StatusCode == System.Net.HttpStatusCode.BadRequest, await brokenAnswer.Content.ReadAsStringAsync());
        Assert.Contains("InvalidBody", await brokenAnswer.Content.ReadAsStringAsync());

        var username = SharedServerFixture.UniqueId("ppm");
        (await Server.PostAsync("/api/v1/users", new { username, password = "member-password" }, Admin)).AssertOk();
        var member = await Server.SignInAsync(username, "member-password");
        Assert.Equal(fixture.Index.Url, (await ViewAsync(member)).GetProperty("indexUrl").GetString());
        (await Server.PostAsync("/api/v1/python-packages/install", new { requirement = "tinypkg" }, member)).AssertError(403.15);
        (await Server.PostAsync("/api/v1/python-packages/uninstall", new { name = "tinypkg" }, member)).AssertError(403.15);
        (await Server.PutAsync("/api/v1/python-packages/index-url", new { indexUrl = "" }, member)).AssertError(403.15);
    }
}
