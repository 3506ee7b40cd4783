using System.Text.Json.Nodes;
using OrleansFunc.Errors;
using OrleansFunc.Hosting;

namespace OrleansFunc.WebFront.Api.Calls;

/// <summary>
/// Files uploaded to simplified auth-link calls: saved under <c>&lt;data&gt;/uploads/&lt;call&gt;/</c>
/// readable by the workers, handed to the func as the <c>files</c> kwarg, and deleted after an hour —
/// as are <c>DFF.RESP_LARGE_DATA</c> files left in <c>resources/.downloads</c> (editor runs, direct calls).
/// The folder holds at most <see cref="UploadSettings.FolderLimitMb"/>: anonymous callers cannot fill the disk.
/// </summary>
public sealed partial class UploadStore(OrleansFuncOptions options, ILogger<UploadStore> logger) : BackgroundService
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>
    /// Bytes in the folder: those on disk at the last cleanup plus those reserved since (a reservation
    /// is made before a call's files are written, so concurrent calls cannot together pass the bound).
    /// </summary>
    private long _bytes;

    private string Root => options.UploadFolder;

    /// <summary>Saves the files of one call; returns the <c>files</c> kwarg. 429.46 UploadSpaceFull when the folder is full.</summary>
    public async Task<JsonArray> SaveAsync(IFormFileCollection files, CancellationToken cancellationToken)
    {
        var size = files.Sum(f => f.Length);
        if (Interlocked.Add(ref _bytes, size) > options.Uploads.FolderLimitBytes)
        {
            Interlocked.Add(ref _bytes, -size);
            throw new DffException(ErrorKind.RateLimited, "UploadSpaceFull",
                "The server holds as many uploaded files as it may; try again later", new { waitSeconds = 600 });
        }
        var folder = Path.Combine(Root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(Root, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        var saved = new JsonArray();
        foreach (var (file, index) in files.Select((f, i) => (f, i)))
        {
            // The stored name is ours (no path from the caller reaches the disk); the original name travels as data.
            var path = Path.Combine(folder, $"{index}{Path.GetExtension(Path.GetFileName(file.FileName))}");
            await using (var target = File.Create(path))
            {
                await file.CopyToAsync(target, cancellationToken);
            }
            File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
            saved.Add(new JsonObject
            {
                ["filePath"] = path,
                ["originalname"] = file.FileName,
                ["encoding"] = "7bit",
                ["mimetype"] = file.ContentType,
                ["size"] = file.Length,
            });
        }
        return saved;
    }

    /// <summary>Every ten minutes, removes the uploads older than <see cref="Lifetime"/>.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(10));
        do
        {
            RemoveExpired(DateTime.UtcNow - Lifetime);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public void RemoveExpired(DateTime olderThanUtc)
    {
        var downloads = Path.Combine(options.ResourceFolder, ".downloads");
        var expired = Expired(Root, olderThanUtc, d => d.EnumerateDirectories())
            .Concat(Expired(downloads, olderThanUtc, d => d.EnumerateFiles()));
        var removed = 0L;
        foreach (var entry in expired)
        {
            try
            {
                if (entry is DirectoryInfo folder)
                {
                    var size = SizeOf(folder);
                    folder.Delete(recursive: true);
                    removed += size;
                }
                else
                {
                    entry.Delete();
                }
            }
            catch (IOException failure)
            {
                LogCleanupFailed(logger, failure, entry.FullName);
            }
        }
        Interlocked.Add(ref _bytes, -removed);
    }

    /// <summary>At start: what earlier runs left in the folder counts against the bound.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _bytes, Directory.Exists(Root) ? SizeOf(new DirectoryInfo(Root)) : 0);
        return base.StartAsync(cancellationToken);
    }

    private static long SizeOf(DirectoryInfo folder) =>
        folder.EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    private static IEnumerable<FileSystemInfo> Expired(
        string folder, DateTime olderThanUtc, Func<DirectoryInfo, IEnumerable<FileSystemInfo>> entries) =>
        Directory.Exists(folder) ? entries(new DirectoryInfo(folder)).Where(e => e.LastWriteTimeUtc < olderThanUtc).ToList() : [];
}
