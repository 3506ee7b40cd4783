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
        /// <summary>How old a snapshot <see cref="Recent"/> hands out may be: each lane's pool takes its census once a second.</summary>
        public static readonly TimeSpan Shared = TimeSpan.FromMilliseconds(500);

        private static readonly Lock RecentGate = new();
        private static Snapshot? _recent;

        private readonly Dictionary<int, List<int>> _children = [];
        /// <summary>When the scan ended.</summary>
        private readonly long _takenAt;

        /// <summary>
        /// A snapshot at most <see cref="Shared"/> old: the lanes' pools census at about the same moment, and one scan of
        /// /proc (a file opened per process of the host) serves them all.
        /// </summary>
        public static Snapshot Recent()
        {
            lock (RecentGate)
            {
                if (_recent is null || Environment.TickCount64 - _recent._takenAt > Shared.TotalMilliseconds)
                {
                    _recent = new Snapshot();
                }
                return _recent;
            }
        }

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
            _takenAt = Environment.TickCount64;
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

    /// <summary>Resident memory of a process in MiB; 0 once it is gone. Read every 50 ms for each worker.</summary>
    public static long ResidentMb(int pid)
    {
        // "size resident shared ...", in pages.
        Span<byte> statm = stackalloc byte[128];
        var read = ProcFiles.Read($"/proc/{pid}/statm", statm);
        if (read <= 0)
        {
            return 0;
        }
        statm = statm[..read];
        var resident = statm[(statm.IndexOf((byte)' ') + 1)..];
        var end = resident.IndexOf((byte)' ');
        return System.Buffers.Text.Utf8Parser.TryParse(end < 0 ? resident : resident[..end], out long pages, out _)
            ? pages * Environment.SystemPageSize / (1024 * 1024)
            : 0;
    }

    /// <summary>
    /// Read into a stack buffer: the census reads every process of the host each second, and a file read as a string
    /// allocated several kilobytes each time.
    /// </summary>
    private static int ParentOf(int pid)
    {
        // "pid (comm) state ppid ...": comm (at most 16 bytes) may hold spaces and parentheses, so read after the last ')'.
        Span<byte> stat = stackalloc byte[256];
        var read = ProcFiles.Read($"/proc/{pid}/stat", stat);
        if (read <= 0)
        {
            return 0;
        }
        try
        {
            stat = stat[..read];
            var afterComm = stat[(stat.LastIndexOf((byte)')') + 2)..];
            var ppid = afterComm[(afterComm.IndexOf((byte)' ') + 1)..];
            var end = ppid.IndexOf((byte)' ');
            return System.Buffers.Text.Utf8Parser.TryParse(end < 0 ? ppid : ppid[..end], out int parent, out _) ? parent : 0;
        }
        catch (ArgumentOutOfRangeException)
        {
            return 0; // not the layout of a stat file
        }
    }
}
