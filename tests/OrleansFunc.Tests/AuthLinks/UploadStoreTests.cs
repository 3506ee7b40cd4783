using Microsoft.Extensions.Logging.Abstractions;
using OrleansFunc.Hosting;
using OrleansFunc.Tests.Infrastructure;
using OrleansFunc.WebFront.Api.Calls;
using Xunit;

namespace OrleansFunc.Tests.AuthLinks;

public sealed class UploadStoreTests
{
    [Fact]
    public void RemoveExpired_DeletesOnlyUploadsAndDownloadsOlderThanTheCutoff()
    {
        var data = TestPaths.NewTempFolder("uploads");
        var store = new UploadStore(new OrleansFuncOptions { DataFolder = data }, NullLogger<UploadStore>.Instance);
        var old = Directory.CreateDirectory(Path.Combine(data, "uploads", "old"));
        var recent = Directory.CreateDirectory(Path.Combine(data, "uploads", "recent"));
        File.WriteAllText(Path.Combine(old.FullName, "0.txt"), "x");
        old.LastWriteTimeUtc = DateTime.UtcNow.AddHours(-2);
        var downloads = Directory.CreateDirectory(Path.Combine(data, "resources", ".downloads"));
        var oldDownload = Path.Combine(downloads.FullName, "old.json");
        var newDownload = Path.Combine(downloads.FullName, "new.json");
        File.WriteAllText(oldDownload, "{}");
        File.WriteAllText(newDownload, "{}");
        File.SetLastWriteTimeUtc(oldDownload, DateTime.UtcNow.AddHours(-2));

        store.RemoveExpired(DateTime.UtcNow - UploadStore.Lifetime);

        Assert.False(Directory.Exists(old.FullName));
        Assert.True(Directory.Exists(recent.FullName));
        Assert.False(File.Exists(oldDownload));
        Assert.True(File.Exists(newDownload));
    }
}
