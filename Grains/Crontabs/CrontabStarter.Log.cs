using Microsoft.Extensions.Logging;

namespace OrleansFunc.Crontabs;

public sealed partial class CrontabStarter
{
    [LoggerMessage(EventId = 4021, Level = LogLevel.Warning, Message = "Could not wake the crontab configs at start; their reminders will")]
    private static partial void LogWakeFailed(ILogger logger, Exception exception);
}
