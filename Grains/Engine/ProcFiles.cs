using System.Runtime.InteropServices;
using System.Text;

namespace OrleansFunc.Engine;

/// <summary>
/// Small /proc files read with three system calls (open, read, close). .NET's file API adds an fstat and takes and
/// drops an advisory lock on every file it opens for reading, six calls in all, and the pools read one file per worker
/// every 50 ms and one per process of the host every second.
/// </summary>
internal static class ProcFiles
{
    private const int ReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC

    /// <summary>Reads the start of the file at <paramref name="path"/> into <paramref name="buffer"/>; the bytes read, or -1 when it cannot be opened (the process is gone).</summary>
    public static int Read(string path, Span<byte> buffer)
    {
        Span<byte> name = stackalloc byte[64];
        var length = Encoding.ASCII.GetBytes(path, name);
        name[length] = 0;
        var fd = open(ref MemoryMarshal.GetReference(name), ReadOnlyCloseOnExec);
        if (fd < 0)
        {
            return -1;
        }
        try
        {
            var read = ReadBytes(fd, ref MemoryMarshal.GetReference(buffer), buffer.Length);
            return read < 0 ? -1 : (int)read;
        }
        finally
        {
            close(fd);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int open(ref byte path, int flags);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    private static extern nint ReadBytes(int fd, ref byte buffer, nint length);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
