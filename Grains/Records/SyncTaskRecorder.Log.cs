using Microsoft.Extensions.Logging;

namespace OrleansFunc.Records;

public sealed partial class SyncTaskRecorder
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Could not write {Count} task records of synchronous calls yet; trying again in {Wait}")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count, TimeSpan wait);
}
