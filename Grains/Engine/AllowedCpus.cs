namespace OrleansFunc.Engine;

/// <summary>The CPUs this process may run on (its affinity, as a container or taskset left it), from /proc.</summary>
public static class AllowedCpus
{
    /// <summary>The CPU numbers, ascending; empty when /proc does not say.</summary>
    public static IReadOnlyList<int> Read()
    {
        const string Key = "Cpus_allowed_list:";
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(Key, StringComparison.Ordinal));
            return line is null ? [] : Parse(line[Key.Length..]);
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>A kernel CPU list such as "0-3,8,10-11".</summary>
    public static IReadOnlyList<int> Parse(string list)
    {
        var cpus = new SortedSet<int>();
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var range = part.Split('-');
            var first = int.Parse(range[0]);
            var last = range.Length > 1 ? int.Parse(range[1]) : first;
            for (var cpu = first; cpu <= last; cpu++)
            {
                cpus.Add(cpu);
            }
        }
        return [.. cpus];
    }
}
