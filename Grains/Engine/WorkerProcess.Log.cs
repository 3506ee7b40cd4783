using Microsoft.Extensions.Logging;

namespace OrleansFunc.Engine;

public sealed partial class WorkerProcess
{
    [LoggerMessage(EventId = 3051, Level = LogLevel.Debug, Message = "Python worker {ProcessId}: {Line}")]
    private static partial void LogWorkerOutput(ILogger logger, int processId, string line);
}
