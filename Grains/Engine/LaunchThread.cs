using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrleansFunc.Engine;

/// <summary>
/// Starts every worker process from one thread that lives as long as the silo. To the kernel a
/// process's parent is the thread that forked it, and the sandbox's <c>--die-with-parent</c>
/// (PR_SET_PDEATHSIG) fires when that thread ends: started from a thread-pool thread, a worker was
/// killed, mid-run, when the pool retired the thread after 20 s without work.
/// </summary>
internal static class LaunchThread
{
    private static readonly BlockingCollection<(ProcessStartInfo StartInfo, TaskCompletionSource<Process> Started)> Requests = new();

    static LaunchThread()
    {
        new Thread(Serve) { IsBackground = true, Name = "Python worker launcher" }.Start();
    }

    /// <summary>Starts the process on the launcher thread.</summary>
    public static Task<Process> StartAsync(ProcessStartInfo startInfo)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((startInfo, started));
        return started.Task;
    }

    private static void Serve()
    {
        foreach (var (startInfo, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {startInfo.FileName}"));
            }
            catch (Exception failure)
            {
                started.SetException(failure);
            }
        }
    }
}
