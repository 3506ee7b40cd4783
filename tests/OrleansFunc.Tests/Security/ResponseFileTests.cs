using System.Net;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Security;

/// <summary>
/// DFF.RESP_FILE / DFF.RESP_LARGE_DATA: whatever path a worker sends back, the silo serves and deletes
/// only files that lie inside <c>resources/</c> without a link on any component of the path.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class ResponseFileTests(SharedServerFixture fixture)
{
    // The worker's own checks are bypassed (the response is made by hand): the silo must not rely on them.
    private const string Code =
        "import os\n\n" +
        "def _downloads():\n    return os.path.join(os.environ['DFF_RESOURCE_ROOT'], '.downloads')\n\n" +
        "def _serve(path, auto_delete=False):\n" +
        "    import dff_object\n" +
        "    control = dff_object.response_control(None, None, None, False, True)\n" +
        "    control.update({'filePath': os.path.join(os.environ['DFF_RESOURCE_ROOT'], path), 'autoDelete': auto_delete})\n" +
        "    return dff_object.Response(None, control)\n\n" +
        "@DFF.API('Via folder link')\ndef via_folder_link(target, name, file, auto_delete=False):\n" +
        "    os.symlink(target, os.path.join(_downloads(), name))\n" +
        "    return _serve('.downloads/%s/%s' % (name, file), auto_delete)\n\n" +
        "@DFF.API('Via file link')\ndef via_file_link(target, name):\n" +
        "    os.symlink(target, os.path.join(_downloads(), name))\n" +
        "    return _serve('.downloads/' + name)\n\n" +
        "@DFF.API('Fifo')\ndef fifo(name):\n" +
        "    os.mkfifo(os.path.join(_downloads(), name))\n" +
        "    return _serve('.downloads/' + name)\n\n" +
        "@DFF.API('Plain')\ndef plain(name):\n" +
        "    with open(os.path.join(_downloads(), name), 'w') as f:\n        f.write('inside')\n" +
        "    return DFF.RESP_FILE('.downloads/' + name, auto_delete=True)\n";

    private TestServer Server => fixture.Server;

    private async Task<string> LinkAsync(string funcName, object kwargs)
    {
        var set = SharedServerFixture.UniqueId("sf");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, fixture.AdminToken)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = Code }, fixture.AdminToken)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{set}__main/publish", null, fixture.AdminToken)).AssertOk();
        var link = (await Server.PostAsync("/api/v1/auth-links",
            new { funcId = $"{set}__main.{funcName}", funcCallKwargs = kwargs }, fixture.AdminToken)).AssertOk();
        return link.GetProperty("id").GetString()!;
    }

    private static string UniqueName() => $"x{Guid.NewGuid():N}";

    [Fact]
    public async Task RespFile_ThroughAFolderLinkInDownloads_DoesNotServeTheDataFolder()
    {
        var link = await LinkAsync("via_folder_link", new { target = Server.DataFolder, name = UniqueName(), file = "secret.key" });

        using var response = await Server.Http.GetAsync($"/api/v1/al/{link}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal((HttpStatusCode)599, response.StatusCode);
        Assert.True(body.Contains("ResponseFileUnavailable"), body);
    }

    [Fact]
    public async Task RespFile_AutoDeleteThroughAFolderLink_LeavesTheFileOutsideAlone()
    {
        var outside = TestPaths.NewTempFolder("victim");
        var victim = Path.Combine(outside, "victim.txt");
        File.WriteAllText(victim, "root's");
        File.SetUnixFileMode(victim, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var link = await LinkAsync("via_folder_link", new { target = outside, name = UniqueName(), file = "victim.txt", auto_delete = true });

        using var response = await Server.Http.GetAsync($"/api/v1/al/{link}");

        Assert.Equal((HttpStatusCode)599, response.StatusCode);
        Assert.True(File.Exists(victim), "a file outside the resource folder was deleted through a link");
    }

    [Fact]
    public async Task RespFile_OfAFileLink_IsRefused()
    {
        var link = await LinkAsync("via_file_link", new { target = Path.Combine(Server.DataFolder, "secret.key"), name = UniqueName() });

        using var response = await Server.Http.GetAsync($"/api/v1/al/{link}");

        Assert.Equal((HttpStatusCode)599, response.StatusCode);
        Assert.Contains("ResponseFileUnavailable", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RespFile_OfAFifo_IsRefusedWithoutWaiting()
    {
        var link = await LinkAsync("fifo", new { name = UniqueName() });

        using var response = await Server.Http.GetAsync($"/api/v1/al/{link}");

        Assert.Equal((HttpStatusCode)599, response.StatusCode);
        Assert.Contains("ResponseFileUnavailable", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RespFile_OfAPlainFileInside_IsServedAndDeleted()
    {
        var name = UniqueName();
        var link = await LinkAsync("plain", new { name });

        using var response = await Server.Http.GetAsync($"/api/v1/al/{link}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("inside", await response.Content.ReadAsStringAsync());
        Assert.False(File.Exists(Path.Combine(Server.DataFolder, "resources", ".downloads", name)));
    }
}
