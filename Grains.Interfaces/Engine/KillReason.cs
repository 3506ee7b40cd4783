namespace OrleansFunc.Engine;

/// <summary>Why the silo ended a worker process during a run; reaches the caller's error and the task record.</summary>
public enum KillReason
{
    /// <summary>The run went past its time limit and did not stop when asked.</summary>
    Timeout,

    /// <summary>The worker's memory went over the per-worker limit.</summary>
    MemoryLimit,

    /// <summary>The worker died on its own (os._exit, a crash, a signal).</summary>
    Crashed,

    /// <summary>The worker broke the channel protocol.</summary>
    ProtocolError,

    /// <summary>The run was cancelled (the silo is stopping).</summary>
    Cancelled,

    /// <summary>No worker ran it: the lane has none, and starting one failed.</summary>
    NoWorker,

    /// <summary>The silo the run was sent to left the cluster (killed, or declared dead) before it answered.</summary>
    SiloLost,
}
