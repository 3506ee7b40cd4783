using Microsoft.Extensions.Logging;

namespace OrleansFunc.Engine;

public sealed partial class WorkerPool
{
    [LoggerMessage(EventId = 3041, Level = LogLevel.Error, Message = "A Python worker of lane {Lane} failed to start (attempt {Attempt})")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string lane, int attempt);
}
