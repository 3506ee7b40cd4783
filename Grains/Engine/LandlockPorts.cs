using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace OrleansFunc.Engine;

/// <summary>
/// A Landlock ruleset (Linux 6.7+, ABI 4) that lets a process connect to every TCP port but the
/// server's own Orleans ports. Landlock knows allowed ports only, so the ruleset holds a rule for
/// each of the other 65,534: it is built once by the silo (about 65,000 system calls) and handed,
/// open, to every worker, whose launch applies it in one call before the worker program starts
/// (one process, one thread: every thread and process of the worker is then held by it).
/// </summary>
public sealed class LandlockPorts : IDisposable
{
    private const long CreateRuleset = 444, AddRule = 445;
    private const uint CreateRulesetVersion = 1;
    private const int RuleNetPort = 2;
    private const ulong ConnectTcp = 1 << 1;
    private const int FGetFd = 1, FSetFd = 2, FdCloexec = 1;

    private readonly SafeFileHandle _ruleset;

    private LandlockPorts(SafeFileHandle ruleset) => _ruleset = ruleset;

    /// <summary>The ruleset's descriptor, inherited by the processes this one starts (it lets them restrict themselves, nothing more).</summary>
    public int Descriptor => (int)_ruleset.DangerousGetHandle();

    /// <summary>Null, with the reason, when the kernel has no Landlock network rules.</summary>
    public static LandlockPorts? TryCreate(IReadOnlyCollection<int> deniedPorts, out string? whyNot)
    {
        whyNot = null;
        var abi = syscall(CreateRuleset, IntPtr.Zero, 0, CreateRulesetVersion);
        if (abi < 4)
        {
            whyNot = abi < 0 ? $"the kernel has no Landlock (errno {Marshal.GetLastPInvokeError()})" : $"the kernel's Landlock is ABI {abi}; network rules need 4";
            return null;
        }
        // struct landlock_ruleset_attr { u64 handled_access_fs; u64 handled_access_net; } (ABI 4's size).
        Span<ulong> attributes = [0, ConnectTcp];
        var descriptor = syscall(CreateRuleset, ref MemoryMarshal.GetReference(attributes), (nuint)(attributes.Length * sizeof(ulong)), 0);
        if (descriptor < 0)
        {
            whyNot = $"landlock_create_ruleset failed (errno {Marshal.GetLastPInvokeError()})";
            return null;
        }
        var ruleset = new SafeFileHandle((IntPtr)descriptor, ownsHandle: true);
        // struct landlock_net_port_attr { u64 allowed_access; u64 port; }
        Span<ulong> rule = [ConnectTcp, 0];
        for (var port = 0; port < 65536; port++)
        {
            if (deniedPorts.Contains(port))
            {
                continue;
            }
            rule[1] = (ulong)port;
            if (syscall(AddRule, descriptor, RuleNetPort, ref MemoryMarshal.GetReference(rule), 0) != 0)
            {
                whyNot = $"landlock_add_rule failed for port {port} (errno {Marshal.GetLastPInvokeError()})";
                ruleset.Dispose();
                return null;
            }
        }
        fcntl((int)descriptor, FSetFd, fcntl((int)descriptor, FGetFd, 0) & ~FdCloexec);
        return new LandlockPorts(ruleset);
    }

    /// <summary>
    /// The start of a command line that applies the ruleset and becomes the rest: Python (the system's,
    /// isolated, without site) does in one process what a shell cannot (prctl, landlock_restrict_self).
    /// </summary>
    public string[] ApplyThenExec() =>
    [
        "/usr/bin/python3", "-I", "-S", "-c",
        "import ctypes, os, sys\n" +
        "libc = ctypes.CDLL(None, use_errno=True)\n" +
        "fd = int(sys.argv[1])\n" +
        // no_new_privs, which Landlock requires (setpriv and bwrap set it already where they run).
        "libc.prctl(38, 1, 0, 0, 0)\n" +
        "if libc.syscall(446, fd, 0) != 0:\n    sys.exit('landlock_restrict_self failed: errno %d' % ctypes.get_errno())\n" +
        "os.close(fd)\n" +
        "os.execvp(sys.argv[2], sys.argv[2:])\n",
        Descriptor.ToString(),
    ];

    public void Dispose() => _ruleset.Dispose();

    [DllImport("libc", SetLastError = true)]
    private static extern long syscall(long number, IntPtr attributes, nuint size, uint flags);

    [DllImport("libc", SetLastError = true)]
    private static extern long syscall(long number, ref ulong attributes, nuint size, uint flags);

    [DllImport("libc", SetLastError = true)]
    private static extern long syscall(long number, long ruleset, int ruleType, ref ulong rule, uint flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(int descriptor, int command, int argument);
}
