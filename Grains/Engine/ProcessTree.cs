namespace OrleansFunc.Engine;

/// <summary>Parent links of processes, from <c>/proc/PID/stat</c>.</summary>
public static class ProcessTree
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

    /// <summary>The host's processes and their parents at one moment.</summary>
    public sealed class Snapshot
    {
        private readonly Dictionary<int, List<int>> _children = [];

        public Snapshot()
        {
            foreach (var folder in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(folder), out var pid) && ParentOf(pid) is var parent and > 0)
                {
                    if (!_children.TryGetValue(parent, out var siblings))
                    {
                        _children[parent] = siblings = [];
                    }
                    siblings.Add(pid);
                }
            }
        }

        /// <summary>Every process below <paramref name="pid"/>.</summary>
        public List<int> DescendantsOf(int pid)
        {
            var found = new List<int>();
            var next = new Stack<int>([pid]);
            while (next.TryPop(out var parent) && found.Count < 100_000)
            {
                if (_children.TryGetValue(parent, out var children))
                {
                    foreach (var child in children)
                    {
                        found.Add(child);
                        next.Push(child);
                    }
                }
            }
            return found;
        }
    }

    /// <summary>
    /// A process's proportional share of memory in MiB (pages shared with its parent after a fork
    /// are counted once over all who share them); 0 once it is gone.
    /// </summary>
    public static long ProportionalMb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
            {
                if (line.StartsWith("Pss:", StringComparison.Ordinal))
                {
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
                }
            }
        }
        catch (Exception gone) when (gone is IOException or FormatException or UnauthorizedAccessException)
        {
            // Gone, or not readable: counts nothing.
        }
        return 0;
    }

    /// <summary>Resident memory of a process in MiB; 0 once it is gone.</summary>
    public static long ResidentMb(int pid)
    {
        try
        {
            var pages = long.Parse(File.ReadAllText($"/proc/{pid}/statm").Split(' ')[1]);
            return pages * Environment.SystemPageSize / (1024 * 1024);
        }
        catch (Exception gone) when (gone is IOException or FormatException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Read into a stack buffer: the census reads every process of the host each second, and a file read as a string
    /// allocated several kilobytes each time.
    /// </summary>
    private static int ParentOf(int pid)
    {
        try
        {
            using var file = File.OpenHandle($"/proc/{pid}/stat");
            // "pid (comm) state ppid ...": comm (at most 16 bytes) may hold spaces and parentheses, so read after the last ')'.
            Span<byte> stat = stackalloc byte[256];
            stat = stat[..RandomAccess.Read(file, stat, 0)];
            var afterComm = stat[(stat.LastIndexOf((byte)')') + 2)..];
            var ppid = afterComm[(afterComm.IndexOf((byte)' ') + 1)..];
            var end = ppid.IndexOf((byte)' ');
            return System.Buffers.Text.Utf8Parser.TryParse(end < 0 ? ppid : ppid[..end], out int parent, out _) ? parent : 0;
        }
        catch (Exception gone) when (gone is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            return 0;
        }
    }
}
