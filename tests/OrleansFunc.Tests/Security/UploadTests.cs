using System.Net;
using System.Net.Http.Headers;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Security;

/// <summary>
/// Uploads to the public call routes: nothing is written before the link or batch admits the call,
/// a call's body has a size limit, and the upload folder a bound (a server of its own, with small limits).
/// </summary>
public sealed class UploadTests : IAsyncLifetime
{
    private const string Code =
        "@DFF.API('Sizes')\ndef sizes(files=None, **rest):\n    return [f['size'] for f in files or []]\n";

    private TestServer _server = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("data"), await TestPostgres.CreateDatabaseAsync());
        var environment = settings.ToEnvironment();
        environment["OrleansFunc__Uploads__MaxCallMb"] = "1";
        environment["OrleansFunc__Uploads__FolderLimitMb"] = "2";
        _server = await TestServer.StartAsync(settings, environment);
        _token = await _server.SetUpAndSignInAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string UploadFolder => Path.Combine(_server.DataFolder, "uploads");

    private int UploadsOnDisk => Directory.Exists(UploadFolder) ? Directory.GetFileSystemEntries(UploadFolder).Length : 0;

    private static MultipartFormDataContent Files(params int[] sizes)
    {
        var form = new MultipartFormDataContent { { new StringContent("x"), "note" } };
        foreach (var (size, index) in sizes.Select((s, i) => (s, i)))
        {
            var file = new ByteArrayContent(new byte[size]);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "files", $"f{index}.bin");
        }
        return form;
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, HttpContent content)
    {
        using var response = await _server.Http.PostAsync(path, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<(string Link, string Batch)> EntitiesAsync()
    {
        var set = SharedServerFixture.UniqueId("up");
        (await _server.PostAsync("/api/v1/script-sets", new { id = set }, _token)).AssertOk();
        (await _server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = Code }, _token)).AssertOk();
        (await _server.PostAsync($"/api/v1/scripts/{set}__main/publish", null, _token)).AssertOk();
        var funcId = $"{set}__main.sizes";
        var link = (await _server.PostAsync("/api/v1/auth-links", new { funcId }, _token)).AssertOk().GetProperty("id").GetString()!;
        var batch = (await _server.PostAsync("/api/v1/batches", new { funcId }, _token)).AssertOk().GetProperty("id").GetString()!;
        return (link, batch);
    }

    [Theory]
    [InlineData("/api/v1/al/no-such-link/s")]
    [InlineData("/api/v1/bat/no-such-batch/s")]
    public async Task FilesSentToAMissingLinkOrBatch_AreNeverWritten(string path)
    {
        var before = UploadsOnDisk;

        var (status, body) = await PostAsync(path, Files(600_000));

        Assert.True(status == HttpStatusCode.NotFound, body);
        Assert.Equal(before, UploadsOnDisk);
    }

    [Fact]
    public async Task FilesSentToADisabledLink_AreNeverWritten()
    {
        var (link, _) = await EntitiesAsync();
        (await _server.PatchAsync($"/api/v1/auth-links/{link}", new { isDisabled = true }, _token)).AssertOk();
        var before = UploadsOnDisk;

        var (status, body) = await PostAsync($"/api/v1/al/{link}/s", Files(600_000));

        Assert.True(status == HttpStatusCode.Forbidden, body);
        Assert.Equal(before, UploadsOnDisk);
    }

    [Fact]
    public async Task ACallBodyOverTheLimit_IsRefusedAndNothingIsWritten()
    {
        var (link, _) = await EntitiesAsync();
        var before = UploadsOnDisk;

        var (status, body) = await PostAsync($"/api/v1/al/{link}/s", Files(1_200_000));

        Assert.True(status == HttpStatusCode.BadRequest, body);
        Assert.Contains("BodyTooLarge", body);
        Assert.Equal(before, UploadsOnDisk);
    }

    [Fact]
    public async Task UploadsPastTheFolderBound_AreRefusedUntilSpaceIsFreed()
    {
        var (link, _) = await EntitiesAsync();
        var before = UploadsOnDisk;

        var first = await PostAsync($"/api/v1/al/{link}/s", Files(900_000));
        var second = await PostAsync($"/api/v1/al/{link}/s", Files(900_000));
        var third = await PostAsync($"/api/v1/al/{link}/s", Files(900_000));

        Assert.True(first.Status == HttpStatusCode.OK, first.Body);
        Assert.True(second.Status == HttpStatusCode.OK, second.Body);
        Assert.True(third.Status == HttpStatusCode.TooManyRequests, third.Body);
        Assert.Contains("UploadSpaceFull", third.Body);
        Assert.Equal(before + 2, UploadsOnDisk);
    }
}
