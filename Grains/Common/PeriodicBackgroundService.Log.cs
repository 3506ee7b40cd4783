using Microsoft.Extensions.Logging;

namespace OrleansFunc.Common;

public abstract partial class PeriodicBackgroundService
{
    [LoggerMessage(EventId = 7001, Message = "A round of {Service} failed; the next round tries again")]
    private static partial void LogRoundFailed(ILogger logger, LogLevel level, Exception exception, string service);
}
