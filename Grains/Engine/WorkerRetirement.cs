namespace OrleansFunc.Engine;

/// <summary>Why the pool replaced a worker that still worked (a worker that died says why in its <see cref="KillReason"/>).</summary>
public enum WorkerRetirement
{
    /// <summary>It served <c>MaxRunsPerWorker</c> runs.</summary>
    RunQuota,

    /// <summary>Its memory went over <c>RecycleAboveMb</c> between runs.</summary>
    MemoryRecycle,

    /// <summary>A run left processes behind.</summary>
    LeftProcesses,

    /// <summary>Administrators changed the installed Python packages since it started.</summary>
    PackagesChanged,

    /// <summary>It was given up for a fresh worker of another script set.</summary>
    Evicted,
}
