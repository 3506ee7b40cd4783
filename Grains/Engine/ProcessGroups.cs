using System.Runtime.InteropServices;

namespace OrleansFunc.Engine;

/// <summary>Signals to a whole process group (kill(2) with a negative pid), or to one process.</summary>
internal static class ProcessGroups
{
    private const int SigKill = 9;

    /// <summary>
    /// SIGKILLs every process of the group led by <paramref name="leaderPid"/>, again and again while
    /// any is left: a fork bomb keeps forking while the first signals are delivered. True when the
    /// group is gone: from then on its number may be reused by a new group, which must not be signalled.
    /// </summary>
    public static bool KillAll(int leaderPid)
    {
        for (var round = 0; round < 1000; round++)
        {
            if (kill(-leaderPid, SigKill) != 0)
            {
                return true;
            }
            Thread.Sleep(1);
        }
        return false;
    }

    /// <summary>SIGKILLs one process (one left in a worker's cgroup after the worker ended).</summary>
    public static void KillProcess(int pid) => kill(pid, SigKill);

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
