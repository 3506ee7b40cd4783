using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Hosting;
using OrleansFunc.WebFront.Api.Calls;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Resources;

/// <summary>
/// <c>/api/v1/resources</c>: the file manager of the resource folder (the files scripts read, <c>DFF.RESP_FILE</c> serves):
/// list, upload, download, make a folder, rename, delete, zip and unzip, for signed-in users, confined to that folder
/// (<see cref="ResourcePaths"/>).
/// </summary>
public static class ResourcesApi
{
    /// <summary>The most one upload request may carry.</summary>
    public const long MaxUploadBytes = 256L * 1024 * 1024;

    public sealed record ResourceEntry(string Name, string Path, bool IsFolder, long? Size, DateTimeOffset UpdateTime);

    public sealed record ResourcePath(string? Path);

    public sealed record Rename(string? Path, string? NewName);

    public sealed record Changed(string Path);

    public static RouteGroupBuilder MapResourcesApi(this RouteGroupBuilder api)
    {
        var resources = api.MapGroup("/resources").WithTags("Resources");
        resources.MapGet("/", ListAsync);
        resources.MapGet("/download", DownloadAsync);
        // Streamed to disk, not buffered: recorded by the route itself, with the names it stored.
        resources.MapPost("/upload", UploadAsync).WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxUploadBytes));
        resources.MapPost("/folder", MakeFolder).RecordsOperation(EntityType.Resource, "mkdir");
        resources.MapPost("/rename", RenameEntry).RecordsOperation(EntityType.Resource, "rename");
        resources.MapPost("/zip", ZipEntry).RecordsOperation(EntityType.Resource, "zip");
        resources.MapPost("/unzip", UnzipEntry).RecordsOperation(EntityType.Resource, "unzip");
        resources.MapDelete("/", DeleteEntry).RecordsOperation(EntityType.Resource, "delete");
        return api;
    }

    private static ResourcePaths Paths(OrleansFuncOptions options)
    {
        Directory.CreateDirectory(options.ResourceFolder);
        return new ResourcePaths(options.ResourceFolder);
    }

    /// <summary>The entries of a folder, folders first; links are listed (a script may have made one) but never followed.</summary>
    private static EnvelopeResult<IReadOnlyList<ResourceEntry>> ListAsync(string? path, OrleansFuncOptions options)
    {
        var paths = Paths(options);
        var folder = paths.Resolve(path);
        if (!Directory.Exists(folder))
        {
            throw DffException.BadRequest("NotAFolder", $"'{ResourcePaths.Normalize(path)}' is a file", new { path });
        }
        var entries = new DirectoryInfo(folder).EnumerateFileSystemInfos()
            .Select(e => new ResourceEntry(e.Name, paths.RelativeOf(e.FullName), e is DirectoryInfo && e.LinkTarget is null,
                e is FileInfo file && e.LinkTarget is null ? file.Length : null, e.LastWriteTimeUtc))
            .OrderBy(e => !e.IsFolder).ThenBy(e => e.Name, StringComparer.Ordinal).ToList();
        return Envelopes.Ok<IReadOnlyList<ResourceEntry>>(entries);
    }

    private static IResult DownloadAsync(string? path, OrleansFuncOptions options)
    {
        var paths = Paths(options);
        var full = paths.Resolve(path);
        var file = ResourceFile.TryOpen(paths.Root, full)
            ?? throw DffException.BadRequest("NotAPlainFile", $"'{ResourcePaths.Normalize(path)}' is a folder, a link or a file with other names",
                new { path });
        return Results.File(new FileStream(file.Handle, FileAccess.Read), "application/octet-stream", Path.GetFileName(full));
    }

    /// <summary>
    /// Stores the files of a multipart request in <c>path</c>, streamed to disk as they come; a name already there is
    /// refused unless <c>overwrite=true</c>. A request that fails leaves none of its files.
    /// </summary>
    private static async Task<EnvelopeResult<IReadOnlyList<string>>> UploadAsync(
        HttpRequest request, string? path, bool? overwrite, OrleansFuncOptions options)
    {
        var paths = Paths(options);
        var folder = paths.ResolveForWriting(path);
        if (!Directory.Exists(folder))
        {
            throw DffException.BadRequest("NotAFolder", $"'{ResourcePaths.Normalize(path)}' is a file", new { path });
        }
        var boundary = request.ContentType is { } type && MediaTypeHeaderValue.TryParse(type, out var media)
            ? HeaderUtilities.RemoveQuotes(media.Boundary).Value : null;
        if (string.IsNullOrEmpty(boundary))
        {
            throw DffException.BadRequest("NotMultipart", "Send the files as multipart/form-data");
        }
        var reader = new MultipartReader(boundary, request.Body);
        var stored = new List<string>();
        string? writing = null;
        try
        {
            while (await FormFields.ReadBodyAsync(request, () => reader.ReadNextSectionAsync(request.HttpContext.RequestAborted)) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition())
                {
                    continue;
                }
                var name = ResourcePaths.RequireName("file name", Path.GetFileName(HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? ""));
                var target = Path.Combine(folder, name);
                if (overwrite == true && File.Exists(target) && new FileInfo(target).LinkTarget is null)
                {
                    File.Delete(target);
                }
                await using (var output = OpenNew(target, paths))
                {
                    writing = target;
                    await CopyPartAsync(request, section.Body, output);
                }
                stored.Add(paths.RelativeOf(target));
                writing = null;
            }
        }
        catch
        {
            // Nothing of a refused upload stays, the part cut short included.
            foreach (var file in stored.Select(file => Path.Combine(paths.Root, file)).Append(writing).OfType<string>())
            {
                File.Delete(file);
            }
            throw;
        }
        if (stored.Count == 0)
        {
            throw DffException.BadRequest("NoFile", "The request carried no file");
        }
        await OperationRecording.RecordAsync(request.HttpContext, request.HttpContext.User, EntityType.Resource, "upload",
            ResourcePaths.Normalize(path), System.Text.Json.JsonSerializer.Serialize(new { files = stored, overwrite }));
        return Envelopes.Ok<IReadOnlyList<string>>(stored);
    }

    /// <summary>A part's bytes into its file: a body that ends before its parts do is the caller's error, a file that
    /// cannot be written the server's.</summary>
    private static async Task CopyPartAsync(HttpRequest request, Stream part, Stream output)
    {
        var buffer = new byte[81920];
        while (await FormFields.ReadBodyAsync(request, () => part.ReadAsync(buffer, request.HttpContext.RequestAborted).AsTask()) is > 0 and var read)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), request.HttpContext.RequestAborted);
        }
    }

    private static FileStream OpenNew(string target, ResourcePaths paths)
    {
        try
        {
            return new FileStream(target, FileMode.CreateNew, FileAccess.Write);
        }
        catch (IOException) when (File.Exists(target) || Directory.Exists(target) || new FileInfo(target).LinkTarget is not null)
        {
            throw DffException.Duplicated("ResourceExists", $"'{paths.RelativeOf(target)}' already exists", new { path = paths.RelativeOf(target) });
        }
    }

    private static EnvelopeResult<Changed> MakeFolder(ResourcePath body, OrleansFuncOptions options)
    {
        var paths = Paths(options);
        var full = paths.ResolveForWriting(body.Path, mayBeMissing: true);
        if (File.Exists(full) || Directory.Exists(full))
        {
            throw DffException.Duplicated("ResourceExists", $"'{paths.RelativeOf(full)}' already exists", new { path = paths.RelativeOf(full) });
        }
        Directory.CreateDirectory(full);
        return Envelopes.Ok(new Changed(paths.RelativeOf(full)));
    }

    private static EnvelopeResult<Changed> RenameEntry(Rename body, OrleansFuncOptions options)
    {
        var paths = Paths(options);
        var full = paths.ResolveForWriting(body.Path);
        if (full == paths.Root)
        {
            throw DffException.BadRequest("InvalidPath", "The resource folder itself cannot be renamed", new { field = "path" });
        }
        var target = Path.Combine(Path.GetDirectoryName(full)!, ResourcePaths.RequireName("newName", body.NewName));
        if (File.Exists(target) || Directory.Exists(target))
        {
            throw DffException.Duplicated("ResourceExists", $"'{paths.RelativeOf(target)}' already exists", new { path = paths.RelativeOf(target) });
        }
        if (Directory.Exists(full))
        {
            Directory.Move(full, target);
        }
        else
        {
            File.Move(full, target);
        }
        return Envelopes.Ok(new Changed(paths.RelativeOf(target)));
    }

    private static EnvelopeResult<Changed> ZipEntry(ResourcePath body, OrleansFuncOptions options) =>
        Envelopes.Ok(new Changed(ResourceArchives.Zip(Paths(options), ResourcePaths.Normalize(body.Path))));

    private static EnvelopeResult<Changed> UnzipEntry(ResourcePath body, OrleansFuncOptions options) =>
        Envelopes.Ok(new Changed(ResourceArchives.Unzip(Paths(options), ResourcePaths.Normalize(body.Path))));

    /// <summary>Deletes a file or a whole folder (links inside are removed, never followed); also in <c>.downloads/</c>.</summary>
    private static EnvelopeResult<Changed> DeleteEntry(string? path, OrleansFuncOptions options)
    {
        var paths = Paths(options);
        var relative = ResourcePaths.Normalize(path);
        if (relative.Length == 0 || relative == ResourcePaths.ScriptFolder)
        {
            throw DffException.BadRequest("InvalidPath", "The resource folder and its script folder cannot be deleted", new { field = "path" });
        }
        var full = paths.Resolve(relative, lastMayBeLink: true);
        if (new FileInfo(full).LinkTarget is null && Directory.Exists(full))
        {
            Directory.Delete(full, recursive: true);
        }
        else
        {
            File.Delete(full);
        }
        return Envelopes.Ok(new Changed(relative));
    }
}
