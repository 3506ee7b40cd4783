using Microsoft.Extensions.Logging;

namespace OrleansFunc.Engine;

internal sealed partial class WorkerConversation
{
    [LoggerMessage(EventId = 3031, Level = LogLevel.Warning, Message = "Python worker {ProcessId} ended ({Reason}): {Detail}")]
    private static partial void LogKilled(ILogger logger, int processId, KillReason reason, string detail);
}
