namespace OrleansFunc.Engine;

/// <summary>Parent links of processes, from <c>/proc/PID/stat</c>.</summary>
internal static class ProcessTree
{
    /// <summary>Whether <paramref name="pid"/> is <paramref name="ancestor"/> or one of its descendants (both alive).</summary>
    public static bool Descends(int pid, int ancestor)
    {
        for (var depth = 0; pid > 1 && depth < 64; depth++)
        {
            if (pid == ancestor)
            {
                return true;
            }
            pid = ParentOf(pid);
        }
        return false;
    }

    private static int ParentOf(int pid)
    {
        try
        {
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1]);
        }
        catch (Exception gone) when (gone is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }
}
