using System.IO.Compression;
using OrleansFunc.Errors;
using OrleansFunc.WebFront.Api.Calls;

namespace OrleansFunc.WebFront.Api.Resources;

/// <summary>
/// Zip and unzip in the resource folder. Zipping reads every file through <see cref="ResourceFile"/> (a link or a file
/// with other names elsewhere is refused, so no secret of the machine ends up in a zip a member downloads); unzipping
/// writes each entry as a new regular file under a new folder, its name checked like any path, within a size and an entry
/// count (counted while unpacking, so a zip bomb stops at the limit).
/// </summary>
public static class ResourceArchives
{
    public const long MaxUnpackedBytes = 512L * 1024 * 1024;
    public const int MaxEntries = 20_000;

    /// <summary>Zips the file or folder <paramref name="source"/> into a new <c>&lt;name&gt;.zip</c> beside it; its relative path.</summary>
    public static string Zip(ResourcePaths paths, string source)
    {
        var full = paths.Resolve(source);
        var target = full + ".zip";
        if (File.Exists(target) || Directory.Exists(target))
        {
            throw DffException.Duplicated("ResourceExists", $"'{paths.RelativeOf(target)}' already exists", new { path = paths.RelativeOf(target) });
        }
        paths.ResolveForWriting(paths.RelativeOf(target), mayBeMissing: true);
        try
        {
            using (var zip = ZipFile.Open(target, ZipArchiveMode.Create))
            {
                var baseFolder = Path.GetDirectoryName(full)!;
                var files = Directory.Exists(full)
                    ? Walk(full).ToList()
                    : [full];
                foreach (var file in files)
                {
                    using var opened = ResourceFile.TryOpen(paths.Root, file)
                        ?? throw DffException.BadRequest("NotAPlainFile", $"'{paths.RelativeOf(file)}' is a link or has other names: not zipped",
                            new { path = paths.RelativeOf(file) });
                    var entry = zip.CreateEntry(Path.GetRelativePath(baseFolder, file).Replace('\\', '/'), CompressionLevel.Optimal);
                    using var input = new FileStream(opened.Handle, FileAccess.Read);
                    using var output = entry.Open();
                    input.CopyTo(output);
                }
            }
            return paths.RelativeOf(target);
        }
        catch
        {
            File.Delete(target);
            throw;
        }
    }

    /// <summary>Unzips <paramref name="source"/> into a new folder beside it, named like the zip without <c>.zip</c>; its relative path.</summary>
    public static string Unzip(ResourcePaths paths, string source)
    {
        var full = paths.Resolve(source);
        using var opened = ResourceFile.TryOpen(paths.Root, full)
            ?? throw DffException.BadRequest("NotAPlainFile", $"'{source}' is not a plain file", new { path = source });
        var name = Path.GetFileName(full);
        var folder = Path.Combine(Path.GetDirectoryName(full)!, name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name + ".unzipped");
        var folderRelative = paths.RelativeOf(folder);
        paths.ResolveForWriting(folderRelative, mayBeMissing: true);
        if (File.Exists(folder) || Directory.Exists(folder))
        {
            throw DffException.Duplicated("ResourceExists", $"'{folderRelative}' already exists", new { path = folderRelative });
        }
        using var input = new FileStream(opened.Handle, FileAccess.Read);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(input, ZipArchiveMode.Read);
        }
        catch (InvalidDataException bad)
        {
            throw DffException.BadRequest("NotAZip", $"'{source}' is not a zip: {bad.Message}", new { path = source });
        }
        Directory.CreateDirectory(folder);
        try
        {
            using (zip)
            {
                long written = 0;
                var count = 0;
                foreach (var entry in zip.Entries)
                {
                    if (++count > MaxEntries)
                    {
                        throw DffException.BadRequest("ZipTooLarge", $"The zip holds more than {MaxEntries} entries", new { maxEntries = MaxEntries });
                    }
                    var entryPath = ResourcePaths.Normalize(entry.FullName);
                    if (entryPath.Length == 0)
                    {
                        continue;
                    }
                    var target = Path.Combine(folder, entryPath);
                    if (entry.FullName.EndsWith('/'))
                    {
                        Directory.CreateDirectory(target);
                        continue;
                    }
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    using var from = entry.Open();
                    // CreateNew: an entry named twice, or a name that is already there, is refused rather than written through.
                    using var to = new FileStream(target, FileMode.CreateNew, FileAccess.Write);
                    var buffer = new byte[81920];
                    int read;
                    while ((read = from.Read(buffer)) > 0)
                    {
                        written += read;
                        if (written > MaxUnpackedBytes)
                        {
                            throw DffException.BadRequest("ZipTooLarge", $"The zip unpacks to more than {MaxUnpackedBytes / 1024 / 1024} MB",
                                new { maxBytes = MaxUnpackedBytes });
                        }
                        to.Write(buffer, 0, read);
                    }
                }
            }
            return folderRelative;
        }
        catch (Exception failure)
        {
            // Nothing of a zip that could not be unpacked stays.
            Directory.Delete(folder, recursive: true);
            if (failure is IOException io and not FileNotFoundException)
            {
                throw DffException.BadRequest("ZipNotUnpacked", $"The zip could not be unpacked: {io.Message}", new { path = source });
            }
            throw;
        }
    }

    /// <summary>The files under <paramref name="folder"/>, never entering a linked folder (a link is yielded, and refused when opened).</summary>
    private static IEnumerable<string> Walk(string folder)
    {
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo sub && sub.LinkTarget is null)
            {
                foreach (var file in Walk(sub.FullName))
                {
                    yield return file;
                }
            }
            else
            {
                yield return entry.FullName;
            }
        }
    }
}
