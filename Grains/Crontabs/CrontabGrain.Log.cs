using Microsoft.Extensions.Logging;

namespace OrleansFunc.Crontabs;

public sealed partial class CrontabGrain
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Crontab config {Id} could not queue its firing of {Minute}")]
    private static partial void LogFiringFailed(ILogger logger, Exception exception, string id, DateTimeOffset minute);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Crontab config {Id} could not set its next firing; the reminder tries again")]
    private static partial void LogSchedulingFailed(ILogger logger, Exception exception, string id);
}
