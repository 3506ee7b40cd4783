using System.IO.Compression;
using System.Net;
using System.Text;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Platform;

/// <summary>
/// The file manager of <c>resources/</c>: upload, list, download, folders, rename, delete, zip and unzip, confined to that
/// folder whatever the path, a file name, a zip entry or a link a script left there says; and scripts read what it stores.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class ResourceFilesTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private string Admin => fixture.AdminToken;
    private string Resources => Path.Combine(Server.DataFolder, "resources");

    private async Task<HttpResponseMessage> UploadAsync(string folder, params (string Name, byte[] Content)[] files)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, content) in files)
        {
            form.Add(new ByteArrayContent(content), "files", name);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/resources/upload?path={Uri.EscapeDataString(folder)}") { Content = form };
        request.Headers.Add("X-Dff-Auth-Token", Admin);
        return await Server.Http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> DownloadAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/resources/download?path={Uri.EscapeDataString(path)}");
        request.Headers.Add("X-Dff-Auth-Token", Admin);
        return await Server.Http.SendAsync(request);
    }

    private async Task<List<string>> ListAsync(string folder) =>
        (await Server.GetAsync($"/api/v1/resources?path={Uri.EscapeDataString(folder)}", Admin)).AssertOk().EnumerateArray()
            .Select(e => e.GetProperty("name").GetString()!).ToList();

    [Fact]
    public async Task FilesAreUploadedListedDownloadedRenamedZippedAndUnzipped_AndScriptsReadThem()
    {
        var folder = SharedServerFixture.UniqueId("mgr");
        (await Server.PostAsync("/api/v1/resources/folder", new { path = folder }, Admin)).AssertOk();
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(folder, ("hello.txt", "hello from the manager"u8.ToArray()), ("data.csv", "a,b\n1,2"u8.ToArray()))).StatusCode);
        Assert.Equal(["data.csv", "hello.txt"], await ListAsync(folder));
        Assert.Equal(HttpStatusCode.Conflict, (await UploadAsync(folder, ("hello.txt", "again"u8.ToArray()))).StatusCode);
        Assert.Equal("hello from the manager", await (await DownloadAsync($"{folder}/hello.txt")).Content.ReadAsStringAsync());

        var set = SharedServerFixture.UniqueId("rs");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, Admin)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = "def read(path):\n    return open(DFF.RSRC(path)).read()\n" }, Admin)).AssertOk();
        var run = (await Server.PostAsync($"/api/v1/scripts/{set}__main/run", new { funcName = "read", kwargs = new { path = $"{folder}/hello.txt" } }, Admin)).AssertOk();
        Assert.Equal("hello from the manager", run.GetProperty("result").GetString());

        (await Server.PostAsync("/api/v1/resources/rename", new { path = $"{folder}/data.csv", newName = "prices.csv" }, Admin)).AssertOk();
        Assert.Equal(["hello.txt", "prices.csv"], await ListAsync(folder));

        var zip = (await Server.PostAsync("/api/v1/resources/zip", new { path = folder }, Admin)).AssertOk().GetProperty("path").GetString();
        Assert.Equal($"{folder}.zip", zip);
        (await Server.DeleteAsync($"/api/v1/resources?path={folder}", Admin)).AssertOk();
        Assert.False(Directory.Exists(Path.Combine(Resources, folder)));
        var unzipped = (await Server.PostAsync("/api/v1/resources/unzip", new { path = zip }, Admin)).AssertOk().GetProperty("path").GetString();
        Assert.Equal(folder, unzipped);
        Assert.Equal("hello from the manager", File.ReadAllText(Path.Combine(Resources, folder, folder, "hello.txt")));
        (await Server.PostAsync("/api/v1/resources/unzip", new { path = zip }, Admin)).AssertError(409.42);
    }

    [Theory]
    [InlineData("../")]
    [InlineData("../../etc")]
    [InlineData("/etc")]
    [InlineData("a/../../x")]
    [InlineData("./x")]
    public async Task APathOutsideTheFolder_IsRefused(string path)
    {
        (await Server.GetAsync($"/api/v1/resources?path={Uri.EscapeDataString(path)}", Admin)).AssertError(path == "/etc" ? 404.41 : 400.43);
        Assert.NotEqual(HttpStatusCode.OK, (await DownloadAsync(path + "/passwd")).StatusCode);
        (await Server.PostAsync("/api/v1/resources/folder", new { path = path + "/made" }, Admin)).AssertError(path == "/etc" ? 404.41 : 400.43);
        Assert.False(Directory.Exists("/etc/made"));
    }

    [Fact]
    public async Task ALinkAScriptLeft_IsListedButNeverFollowed_AndTheScriptFolderIsNotWritten()
    {
        var downloads = Path.Combine(Resources, ".downloads");
        Directory.CreateDirectory(downloads);
        var folderLink = Path.Combine(downloads, SharedServerFixture.UniqueId("etc"));
        var fileLink = Path.Combine(downloads, SharedServerFixture.UniqueId("passwd"));
        File.CreateSymbolicLink(folderLink, "/etc");
        File.CreateSymbolicLink(fileLink, "/etc/passwd");
        var folderName = Path.GetFileName(folderLink);
        var fileName = Path.GetFileName(fileLink);

        var listed = (await Server.GetAsync("/api/v1/resources?path=.downloads", Admin)).AssertOk().EnumerateArray()
            .Single(e => e.GetProperty("name").GetString() == folderName);
        Assert.False(listed.GetProperty("isFolder").GetBoolean());
        (await Server.GetAsync($"/api/v1/resources?path=.downloads/{folderName}", Admin)).AssertError(400.43, "EClientBadRequest.InvalidPath");
        Assert.Equal(HttpStatusCode.BadRequest, (await DownloadAsync($".downloads/{folderName}/passwd")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await DownloadAsync($".downloads/{fileName}")).StatusCode);
        (await Server.PostAsync("/api/v1/resources/zip", new { path = ".downloads" }, Admin)).AssertError(400.43, "EClientBadRequest.NotAPlainFile");
        Assert.False(File.Exists(Path.Combine(Resources, ".downloads.zip")));
        (await Server.PostAsync("/api/v1/resources/folder", new { path = ".downloads/made" }, Admin)).AssertError(403.21, "EBizCondition.ScriptFolder");
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(".downloads", ("x.txt", "x"u8.ToArray()))).StatusCode);

        // Deleting removes the links, never what they point at.
        (await Server.DeleteAsync($"/api/v1/resources?path=.downloads/{folderName}", Admin)).AssertOk();
        (await Server.DeleteAsync($"/api/v1/resources?path=.downloads/{fileName}", Admin)).AssertOk();
        Assert.False(File.Exists(fileLink) || Directory.Exists(folderLink));
        Assert.True(File.Exists("/etc/passwd"));

        // A folder of the manager's holding a link is not zipped.
        var folder = SharedServerFixture.UniqueId("lnk");
        (await Server.PostAsync("/api/v1/resources/folder", new { path = folder }, Admin)).AssertOk();
        File.CreateSymbolicLink(Path.Combine(Resources, folder, "passwd"), "/etc/passwd");
        (await Server.PostAsync("/api/v1/resources/zip", new { path = folder }, Admin)).AssertError(400.43, "EClientBadRequest.NotAPlainFile");
        Assert.False(File.Exists(Path.Combine(Resources, folder + ".zip")));
        File.CreateSymbolicLink(Path.Combine(Resources, folder, "etc"), "/etc");
        (await Server.DeleteAsync($"/api/v1/resources?path={folder}", Admin)).AssertOk();
        Assert.True(File.Exists("/etc/passwd") && File.Exists("/etc/hostname"));
    }

    [Fact]
    public async Task AnUploadCutShort_KeepsNoFile_AndIsTheCallersError()
    {
        var first = SharedServerFixture.UniqueId("cut") + ".txt";
        var body = $"--xyz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{first}\"\r\n\r\nwhole\r\n" +
                   "--xyz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"second.txt\"\r\n\r\nthe body ends before its boundary";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/resources/upload?path=")
        {
            Content = new StringContent(body) { Headers = { ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz") } },
        };
        request.Headers.Add("X-Dff-Auth-Token", Admin);
        using var answer = await Server.Http.SendAsync(request);
        var text = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Contains("InvalidBody", text);
        Assert.False(File.Exists(Path.Combine(Resources, first)));
        Assert.False(File.Exists(Path.Combine(Resources, "second.txt")));
    }

    [Fact]
    public async Task AZipWhoseEntriesClimbOut_UnpacksNothing()
    {
        var name = SharedServerFixture.UniqueId("slip") + ".zip";
        using (var buffer = new MemoryStream())
        {
            using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            {
                using (var ok = new StreamWriter(zip.CreateEntry("fine.txt").Open())) { ok.Write("fine"); }
                using (var bad = new StreamWriter(zip.CreateEntry("../../escaped.txt").Open())) { bad.Write("escaped"); }
            }
            Assert.Equal(HttpStatusCode.OK, (await UploadAsync("", (name, buffer.ToArray()))).StatusCode);
        }
        (await Server.PostAsync("/api/v1/resources/unzip", new { path = name }, Admin)).AssertError(400.43, "EClientBadRequest.InvalidPath");
        Assert.False(File.Exists(Path.Combine(Server.DataFolder, "escaped.txt")));
        Assert.False(Directory.Exists(Path.Combine(Resources, name[..^4])));

        (await Server.PostAsync("/api/v1/resources/rename", new { path = name, newName = "../up.zip" }, Admin)).AssertError(400.43, "EClientBadRequest.InvalidName");
        (await Server.PostAsync("/api/v1/resources/unzip", new { path = "nothing-here.zip" }, Admin)).AssertError(404.41);
        (await Server.DeleteAsync("/api/v1/resources?path=", Admin)).AssertError(400.43);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await Server.Http.GetAsync("/api/v1/resources/download?path=" + Uri.EscapeDataString(name))).StatusCode);
    }
}
