using System.Runtime.InteropServices;

namespace OrleansFunc.PythonWorker;

/// <summary>_exit(2): ends the process without running any shutdown code that could hang.</summary>
internal static class NativeExit
{
    public static void Now(int code) => _exit(code);

    [DllImport("libc")]
    private static extern void _exit(int status);
}
