using OrleansFunc.Errors;

namespace OrleansFunc.WebFront.Api.Resources;

/// <summary>
/// Paths of the file manager, confined to the resource folder whatever they say: a path is relative, made of plain names
/// (no <c>..</c>, no empty or <c>.</c> component, no NUL), and no component on the way may be a link (one a script made in
/// <c>.downloads/</c> pointing at <c>/etc</c> is refused, never followed). Scripts write only in <c>.downloads/</c>, so the
/// manager writes everywhere else only: nothing there can be swapped for a link between the check and the use.
/// </summary>
public sealed class ResourcePaths(string root)
{
    /// <summary>The folder scripts write into (<c>DFF.RESP_FILE</c> downloads): listed, downloaded and deleted, never written by the manager.</summary>
    public const string ScriptFolder = ".downloads";

    public const int MaxPathLength = 1024;

    public string Root { get; } = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));

    /// <summary>The relative form of <paramref name="path"/> ("" for the root), or 400.43.</summary>
    public static string Normalize(string? path)
    {
        var text = (path ?? "").Replace('\\', '/').Trim('/');
        if (text.Length > MaxPathLength || text.Contains('\0'))
        {
            throw Refused(path, "is too long or holds a NUL");
        }
        if (text.Length > 0 && text.Split('/').Any(c => c is "" or "." or ".."))
        {
            throw Refused(path, "goes outside the resource folder");
        }
        return text;
    }

    /// <summary>
    /// The full path of <paramref name="path"/>, every component of which exists and is no link (the last one may be missing
    /// when <paramref name="mayBeMissing"/>, or a link itself when <paramref name="lastMayBeLink"/>: a deletion removes the link).
    /// </summary>
    public string Resolve(string? path, bool mayBeMissing = false, bool lastMayBeLink = false)
    {
        var relative = Normalize(path);
        var full = Root;
        var components = relative.Length == 0 ? [] : relative.Split('/');
        for (var i = 0; i < components.Length; i++)
        {
            full = Path.Combine(full, components[i]);
            var info = new FileInfo(full);
            var last = i == components.Length - 1;
            if (last && lastMayBeLink && info.LinkTarget is not null)
            {
                return full;
            }
            if (!info.Exists && !Directory.Exists(full))
            {
                if (mayBeMissing && last)
                {
                    return full;
                }
                throw DffException.NotFound("NoSuchResource", $"No such file or folder: '{relative}'", new { path = relative });
            }
            if (info.LinkTarget is not null)
            {
                throw Refused(relative, "passes through a link");
            }
        }
        return full;
    }

    /// <summary>As <see cref="Resolve"/>, for a change: refused inside <see cref="ScriptFolder"/>, which scripts write.</summary>
    public string ResolveForWriting(string? path, bool mayBeMissing = false)
    {
        var relative = Normalize(path);
        if (relative == ScriptFolder || relative.StartsWith(ScriptFolder + "/", StringComparison.Ordinal))
        {
            throw DffException.Condition("ScriptFolder", $"'{ScriptFolder}/' belongs to scripts: the file manager only lists, downloads and deletes there",
                new { path = relative });
        }
        return Resolve(relative, mayBeMissing);
    }

    /// <summary>The relative path of a full one under the root.</summary>
    public string RelativeOf(string full)
    {
        var relative = Path.GetRelativePath(Root, full).Replace('\\', '/');
        return relative == "." ? "" : relative;
    }

    /// <summary>400.43 unless <paramref name="name"/> is one plain file or folder name.</summary>
    public static string RequireName(string field, string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 255 || name.Contains('/') || name.Contains('\\') || name.Contains('\0')
            || name is "." or "..")
        {
            throw DffException.BadRequest("InvalidName", $"'{field}' is one file or folder name, without '/'", new { field, value = name });
        }
        return name;
    }

    private static DffException Refused(string? path, string why) =>
        DffException.BadRequest("InvalidPath", $"The path {why}: '{path}'", new { field = "path", value = path });
}
