using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace OrleansFunc.WebFront.Api.Calls;

/// <summary>
/// A regular file of the resource folder, opened so that it provably lies inside it: every folder
/// of the path is opened from the one above with O_NOFOLLOW (a link on any component fails, and a
/// folder swapped for a link after the check cannot redirect us: we hold the folders open), the
/// file itself likewise, and only a regular file with one name is accepted (no FIFO that would
/// block, no device, no hard link to a file elsewhere). Scripts write into this folder, so the path
/// a worker sends back is an untrusted claim.
/// </summary>
public sealed class ResourceFile : IDisposable
{
    private readonly SafeFileHandle _folder;
    private readonly string _name;

    private ResourceFile(SafeFileHandle folder, string name, SafeFileHandle handle, long length)
    {
        _folder = folder;
        _name = name;
        Handle = handle;
        Length = length;
    }

    /// <summary>The open file, for reading.</summary>
    public SafeFileHandle Handle { get; }

    public long Length { get; }

    /// <summary>
    /// Opens <paramref name="path"/> if it names a regular file under <paramref name="root"/>
    /// reached without following any link; null otherwise.
    /// </summary>
    public static ResourceFile? TryOpen(string root, string path)
    {
        var rootPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var full = Path.GetFullPath(path);
        if (!full.StartsWith(rootPath + "/", StringComparison.Ordinal))
        {
            return null;
        }
        var components = full[(rootPath.Length + 1)..].Split('/');
        if (components.Any(c => c is "" or "." or ".."))
        {
            return null;
        }
        // The root itself is the administrator's setting, and may be reached through links of theirs.
        var folder = Wrap(open(rootPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0));
        if (folder is null)
        {
            return null;
        }
        foreach (var component in components[..^1])
        {
            var next = Open(folder, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            folder.Dispose();
            if (next is null)
            {
                return null;
            }
            folder = next;
        }
        var name = components[^1];
        var file = Open(folder, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (file is null || !IsLoneRegularFile(file, out var length))
        {
            file?.Dispose();
            folder.Dispose();
            return null;
        }
        return new ResourceFile(folder, name, file, length);
    }

    /// <summary>Removes the file's name from the folder it was opened in (never a file elsewhere, even if the name was since replaced by a link).</summary>
    public void Delete() => unlinkat(_folder, _name, 0);

    public void Dispose()
    {
        Handle.Dispose();
        _folder.Dispose();
    }

    private static SafeFileHandle? Open(SafeFileHandle folder, string name, int flags) => Wrap(openat(folder, name, flags, 0));

    private static SafeFileHandle? Wrap(int descriptor) => descriptor < 0 ? null : new SafeFileHandle(descriptor, ownsHandle: true);

    private static bool IsLoneRegularFile(SafeFileHandle file, out long length)
    {
        // struct statx: stx_nlink (u32) at 16, stx_mode (u16) at 28, stx_size (u64) at 40; 256 bytes in all.
        Span<byte> status = stackalloc byte[256];
        length = 0;
        if (statx(file, "", AT_EMPTY_PATH, STATX_BASIC_STATS, ref MemoryMarshal.GetReference(status)) != 0)
        {
            return false;
        }
        var links = BitConverter.ToUInt32(status[16..20]);
        var mode = BitConverter.ToUInt16(status[28..30]);
        length = BitConverter.ToInt64(status[40..48]);
        return (mode & S_IFMT) == S_IFREG && links == 1;
    }

    private const int O_RDONLY = 0, O_NOCTTY = 0x100, O_NONBLOCK = 0x800, O_DIRECTORY = 0x10000, O_NOFOLLOW = 0x20000, O_CLOEXEC = 0x80000;
    private const int AT_EMPTY_PATH = 0x1000;
    private const uint STATX_BASIC_STATS = 0x7ff;
    private const int S_IFMT = 0xF000, S_IFREG = 0x8000;

    [DllImport("libc", SetLastError = true)]
    private static extern int open(string path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int openat(SafeFileHandle folder, string name, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(SafeFileHandle folder, string path, int flags, uint mask, ref byte status);

    [DllImport("libc", SetLastError = true)]
    private static extern int unlinkat(SafeFileHandle folder, string name, int flags);
}
