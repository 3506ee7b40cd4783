using Microsoft.Extensions.Logging;

namespace OrleansFunc.Engine;

public sealed partial class PythonEngine
{
    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Each Python worker has {Kind} limits: {MemoryMb} MiB of memory, {Pids} processes and threads, for it and all it starts")]
    private static partial void LogWorkerCgroups(ILogger logger, string kind, int memoryMb, int pids);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Information,
        Message = "Python workers have no cgroups ({Reason}): their limits are the process rlimit and the pool's census of their memory, once a second")]
    private static partial void LogNoWorkerCgroups(ILogger logger, string reason);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning,
        Message = "Python workers can connect to this silo's Orleans ports ({Reason}); the ports still refuse anyone without the cluster's certificate")]
    private static partial void LogOrleansPortsOpen(ILogger logger, string reason);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Information, Message = "Python workers run as OS user {User} in the bubblewrap sandbox")]
    private static partial void LogWorkersSandboxed(ILogger logger, string user);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Warning,
        Message = "Python workers run as OS user {User} WITHOUT a sandbox (OrleansFunc:Engine:AcceptUnisolatedWorkers): scripts can reach everything that user can")]
    private static partial void LogWorkersUnisolated(ILogger logger, string user);

    [LoggerMessage(EventId = 3016, Level = LogLevel.Warning,
        Message = "The host's shutdown timeout ended the wait for {Runs} runs in flight; their workers are stopped (OrleansFunc:Cluster:DrainTimeout)")]
    private static partial void LogDrainCut(ILogger logger, int runs);

    [LoggerMessage(EventId = 3017, Level = LogLevel.Warning,
        Message = "The installed Python packages could not be read at start; workers start without them until the next sync")]
    private static partial void LogPackagesNotReady(ILogger logger, Exception failure);
}
