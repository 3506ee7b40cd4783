namespace OrleansFunc.Tests.Infrastructure;

/// <summary>
/// Finds a worker's process on the host. Inside the sandbox a script's <c>os.getpid()</c> is a
/// number of the worker's own process namespace, so scripts report their home folder (unique per
/// worker) and the test finds the worker whose channel socket lies beside it.
/// </summary>
public static class WorkerProcesses
{
    /// <summary>Script code of a func <c>home()</c> that names its worker.</summary>
    public const string HomeFunc = "def home():\n    import os\n    return os.environ['HOME']\n";

    /// <summary>The host's process ID of the worker living in <paramref name="home"/>, or null once it is gone.</summary>
    public static int? HostPid(string home)
    {
        var socketPrefix = Path.Combine(Path.GetDirectoryName(home)!, "s-");
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }
            try
            {
                var arguments = File.ReadAllText(Path.Combine(folder, "cmdline")).Split('\0');
                if (arguments.Length > 1 && arguments[0] == "dotnet" && arguments[1].EndsWith("PythonWorker.dll", StringComparison.Ordinal) &&
                    arguments.Any(a => a.StartsWith(socketPrefix, StringComparison.Ordinal)))
                {
                    return pid;
                }
            }
            catch (Exception gone) when (gone is IOException or UnauthorizedAccessException)
            {
                // Ended while we looked.
            }
        }
        return null;
    }
}
