using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OrleansFunc.Tests.Infrastructure;

/// <summary>
/// Descriptors this test process inherited (for example the lock of a <c>flock</c> that started the
/// run) would pass on to every server the tests start, and a server left running would hold them
/// for ever. Marking them close-on-exec keeps them out of child processes.
/// </summary>
internal static class InheritedDescriptors
{
    private const int SetDescriptorFlags = 2; // F_SETFD
    private const int CloseOnExec = 1; // FD_CLOEXEC

    [ModuleInitializer]
    internal static void KeepOutOfChildProcesses()
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            if (int.TryParse(Path.GetFileName(entry), out var descriptor) && descriptor > 2)
            {
                _ = fcntl(descriptor, SetDescriptorFlags, CloseOnExec);
            }
        }
    }

    [DllImport("libc")]
    private static extern int fcntl(int descriptor, int command, int flags);
}
