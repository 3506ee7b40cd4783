namespace OrleansFunc.Engine;

/// <summary>What a <see cref="WorkerConversation"/> needs of the process at the other end of its channel.</summary>
internal interface IWorkerProcessControl
{
    /// <summary>As this host sees it (for the log).</summary>
    int ProcessId { get; }

    /// <summary>Completes when the process has exited.</summary>
    Task Exited { get; }

    /// <summary>Whether the kernel killed a process of the worker at its memory limit.</summary>
    bool MemoryKilled { get; }

    /// <summary>Kills the process group: the worker and everything it started.</summary>
    void Kill();

    /// <summary>After a run that forked: marks the worker for replacement if the run left children.</summary>
    void CheckForLeftChildren();

    /// <summary>How the process ended (waits a little for its exit).</summary>
    Task<string> DescribeExitAsync();
}
