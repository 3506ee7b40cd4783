using Microsoft.Extensions.Logging;

namespace OrleansFunc.Funcs;

public sealed partial class AutoRunStarter
{
    [LoggerMessage(EventId = 4031, Level = LogLevel.Information, Message = "Queued {Count} auto-run funcs at launch")]
    private static partial void LogQueued(ILogger logger, int count);

    [LoggerMessage(EventId = 4032, Level = LogLevel.Warning, Message = "Could not queue the auto-run funcs at launch")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
