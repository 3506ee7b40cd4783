using System.IO.Compression;
using Microsoft.Extensions.Logging;
using OrleansFunc.Hosting;

namespace OrleansFunc.PythonPackages;

/// <summary>
/// This silo's copy of the installed Python packages: the newest generation in PostgreSQL, unpacked under
/// <see cref="OrleansFuncOptions.PythonPackageFolder"/>. <see cref="PythonPackageSync"/> looks for a newer one every few
/// seconds; the silo that installed it looks at once. The generation before stays on disk for the runs still using it.
/// </summary>
public sealed partial class PythonPackageSite(OrleansFuncOptions options, PythonPackageStore store, ILogger<PythonPackageSite> logger)
{
    private readonly SemaphoreSlim _syncing = new(1, 1);
    private volatile PackageFolder _current = PackageFolder.None;

    /// <summary>The generation workers started now get.</summary>
    public PackageFolder Current => _current;

    private string Root => options.PythonPackageFolder;

    /// <summary>Makes the newest generation this silo's, unpacking it first when it is not on disk yet.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        await _syncing.WaitAsync(cancellationToken);
        try
        {
            var newest = await store.NewestGenerationAsync(cancellationToken);
            if (newest == _current.Generation)
            {
                return;
            }
            var folder = Path.Combine(Root, $"g{newest}");
            if (newest > 0 && !Directory.Exists(folder))
            {
                // Gone already when a newer generation pushed it out: the next round takes that one.
                if (await store.SiteAsync(newest, cancellationToken) is not { } site)
                {
                    return;
                }
                Unpack(site, folder);
            }
            _current = newest == 0 ? PackageFolder.None : new PackageFolder(newest, folder);
            LogUsing(logger, newest);
            RemoveOlderThan(newest - 1);
        }
        finally
        {
            _syncing.Release();
        }
    }

    /// <summary>Unpacks into a scratch folder first: a silo that dies halfway leaves no half generation behind its name.</summary>
    private void Unpack(byte[] site, string folder)
    {
        var scratch = Path.Combine(Root, $".unpacking-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(scratch);
            using (var archive = new ZipArchive(new MemoryStream(site), ZipArchiveMode.Read))
            {
                // The archive is ours (made from pip's folder); ExtractToDirectory still refuses names outside the folder.
                archive.ExtractToDirectory(scratch);
            }
            MakeReadableByWorkers(scratch);
            Directory.Move(scratch, folder);
        }
        catch
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
            throw;
        }
    }

    /// <summary>Folders 755 and files readable by all (executable ones stay so), writable by nobody but the host.</summary>
    private static void MakeReadableByWorkers(string folder)
    {
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            if (entry.LinkTarget is not null)
            {
                continue;
            }
            var executable = entry is DirectoryInfo || (entry.UnixFileMode & UnixFileMode.UserExecute) != 0;
            entry.UnixFileMode = (UnixFileMode)(executable ? 0b111_101_101 : 0b110_100_100);
        }
    }

    private void RemoveOlderThan(long generation)
    {
        foreach (var folder in Directory.EnumerateDirectories(Root))
        {
            var name = Path.GetFileName(folder);
            var stale = name.StartsWith(".unpacking-", StringComparison.Ordinal) && Directory.GetCreationTimeUtc(folder) < DateTime.UtcNow.AddHours(-1)
                || name.StartsWith('g') && long.TryParse(name[1..], out var older) && older < generation;
            if (stale)
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // Tried again at the next change.
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Python packages: workers started from now on get generation {Generation}")]
    private static partial void LogUsing(ILogger logger, long generation);
}
