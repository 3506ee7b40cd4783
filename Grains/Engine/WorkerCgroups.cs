using System.Security.Cryptography;

namespace OrleansFunc.Engine;

/// <summary>
/// Kernel limits around each worker and everything it starts: a memory cgroup (its limit the
/// run's memory limit) and a pids cgroup. A silo as root makes them under its own groups, in the
/// cgroup v1 <c>memory</c> and <c>pids</c> hierarchies or in the v2 hierarchy, whichever the host
/// mounts; the worker's launch command joins them before anything of the worker runs, so nothing
/// it forks can leave them. Where none can be made (a silo of its own user without a delegated
/// cgroup) <see cref="TryCreate"/> says why, and the process rlimit and the pool's census are the limits.
/// </summary>
public sealed class WorkerCgroups : IDisposable
{
    private const string Root = "/sys/fs/cgroup";

    private readonly bool _unified;
    private readonly string _memoryParent;
    private readonly string _pidsParent;
    private readonly long _memoryBytes;
    private readonly int _pids;

    private WorkerCgroups(bool unified, string memoryParent, string pidsParent, long memoryBytes, int pids)
    {
        _unified = unified;
        _memoryParent = memoryParent;
        _pidsParent = pidsParent;
        _memoryBytes = memoryBytes;
        _pids = pids;
    }

    /// <summary>"cgroup v1" or "cgroup v2": what is in force, for the log and the README's words.</summary>
    public string Kind => _unified ? "cgroup v2" : "cgroup v1";

    /// <summary>
    /// The parent groups of this silo's workers, made fresh (groups left by an earlier silo of this
    /// host that is gone are removed); null and the reason when this host cannot have them.
    /// </summary>
    public static WorkerCgroups? TryCreate(int memoryLimitMb, int pidsLimit, out string? whyNot)
    {
        whyNot = null;
        if (!Environment.IsPrivilegedProcess)
        {
            whyNot = "the server does not run as root";
            return null;
        }
        try
        {
            var own = File.ReadAllLines("/proc/self/cgroup").Select(line => line.Split(':', 3)).Where(p => p.Length == 3).ToList();
            // The process ID tells a later silo whether the group's owner is gone; the rest keeps two
            // engines of one process (tests) apart.
            var name = $"orleansfunc-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
            var memoryBytes = (long)memoryLimitMb * 1024 * 1024;
            string? V1Group(string controller) =>
                own.FirstOrDefault(p => p[1].Split(',').Contains(controller)) is { } entry &&
                Directory.Exists(Path.Combine(Root, controller)) ? Path.Combine(Root, controller) + entry[2].TrimEnd('/') : null;
            if (V1Group("memory") is { } memory && V1Group("pids") is { } pids &&
                File.Exists(Path.Combine(memory, "memory.limit_in_bytes")))
            {
                return new WorkerCgroups(false, MakeParent(memory, name), MakeParent(pids, name), memoryBytes, pidsLimit);
            }
            if (File.Exists(Path.Combine(Root, "cgroup.controllers")) &&
                File.ReadAllText(Path.Combine(Root, "cgroup.controllers")).Split(' ', '\n') is var controllers &&
                controllers.Contains("memory") && controllers.Contains("pids"))
            {
                // v2 keeps processes in leaves only: the workers' parent sits beside the silo's group,
                // under the root, with both controllers handed down to its children.
                var parent = MakeParent(Root, name);
                File.WriteAllText(Path.Combine(parent, "cgroup.subtree_control"), "+memory +pids");
                return new WorkerCgroups(true, parent, parent, memoryBytes, pidsLimit);
            }
            whyNot = "neither the cgroup v1 memory and pids hierarchies nor cgroup v2 with both controllers are mounted";
        }
        catch (Exception refused) when (refused is IOException or UnauthorizedAccessException)
        {
            whyNot = refused.Message;
        }
        return null;
    }

    /// <summary>A group for one new worker, with its limits set; the launch command joins its <see cref="WorkerCgroup.ProcsFiles"/>.</summary>
    public WorkerCgroup Create()
    {
        var name = $"w-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        var memory = Directory.CreateDirectory(Path.Combine(_memoryParent, name)).FullName;
        var pids = _unified ? memory : Directory.CreateDirectory(Path.Combine(_pidsParent, name)).FullName;
        var group = new WorkerCgroup(_unified, memory, pids);
        try
        {
            File.WriteAllText(Path.Combine(memory, _unified ? "memory.max" : "memory.limit_in_bytes"), _memoryBytes.ToString());
            if (_unified)
            {
                // No swap either, or the limit would only move the pages.
                File.WriteAllText(Path.Combine(memory, "memory.swap.max"), "0");
            }
            File.WriteAllText(Path.Combine(pids, "pids.max"), _pids.ToString());
        }
        catch
        {
            group.Dispose();
            throw;
        }
        return group;
    }

    /// <summary>Removes this silo's parent groups once its workers are gone.</summary>
    public void Dispose()
    {
        WorkerCgroup.RemoveTree(_memoryParent);
        if (_pidsParent != _memoryParent)
        {
            WorkerCgroup.RemoveTree(_pidsParent);
        }
    }

    /// <summary>This silo's parent group under <paramref name="hierarchy"/>, after removing the ones of silos that are gone.</summary>
    private static string MakeParent(string hierarchy, string name)
    {
        foreach (var stale in Directory.EnumerateDirectories(hierarchy, "orleansfunc-*"))
        {
            if (int.TryParse(Path.GetFileName(stale).Split('-')[1], out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                WorkerCgroup.RemoveTree(stale);
            }
        }
        return Directory.CreateDirectory(Path.Combine(hierarchy, name)).FullName;
    }
}

/// <summary>The cgroups of one worker: joined at its launch, read for memory kills, removed after it ended.</summary>
public sealed class WorkerCgroup(bool unified, string memory, string pids) : IDisposable
{
    /// <summary>The files the launch command writes its own process ID to.</summary>
    public IReadOnlyList<string> ProcsFiles { get; } =
        unified ? [Path.Combine(memory, "cgroup.procs")] : [Path.Combine(memory, "cgroup.procs"), Path.Combine(pids, "cgroup.procs")];

    /// <summary>Whether the kernel killed a process of the group for going over the memory limit.</summary>
    public bool MemoryKilled
    {
        get
        {
            try
            {
                return File.ReadLines(Path.Combine(memory, unified ? "memory.events" : "memory.oom_control"))
                    .Any(line => line.StartsWith("oom_kill ", StringComparison.Ordinal) && line != "oom_kill 0");
            }
            catch (Exception gone) when (gone is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }
    }

    /// <summary>Removes the groups; the worker's sandbox ended with it, so they are empty or about to be.</summary>
    public void Dispose()
    {
        RemoveTree(memory);
        if (pids != memory)
        {
            RemoveTree(pids);
        }
    }

    /// <summary>Removes a group and its children, killing what is left in them first (a cgroup folder goes with rmdir only).</summary>
    internal static void RemoveTree(string group)
    {
        try
        {
            foreach (var child in Directory.EnumerateDirectories(group))
            {
                RemoveTree(child);
            }
            for (var attempt = 0; attempt < 50; attempt++)
            {
                var left = File.ReadAllLines(Path.Combine(group, "cgroup.procs")).Where(l => l.Length > 0).Select(int.Parse).ToList();
                foreach (var process in left)
                {
                    ProcessGroups.KillProcess(process);
                }
                try
                {
                    Directory.Delete(group);
                    return;
                }
                catch (IOException) when (left.Count > 0 || attempt < 49)
                {
                    Thread.Sleep(20);
                }
            }
        }
        catch (Exception gone) when (gone is IOException or UnauthorizedAccessException)
        {
            // Gone already, or busy past the attempts: an empty group costs nothing, and the next silo removes it.
        }
    }
}
