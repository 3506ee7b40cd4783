using Microsoft.Extensions.Logging;

namespace OrleansFunc.Crontabs;

public sealed partial class CrontabGrain
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Crontab config {Id} could not write its firing of {Minute} yet; trying again in {Wait}")]
    private static partial void LogFiringDeferred(ILogger logger, Exception exception, string id, DateTimeOffset minute, TimeSpan wait);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Crontab config {Id} could not write its firing of {Minute} before the next was due: recorded as missed")]
    private static partial void LogFiringMissed(ILogger logger, string id, DateTimeOffset minute);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Crontab config {Id} could not queue its firing of {Minute} ahead; it is written at its minute")]
    private static partial void LogQueueAheadFailed(ILogger logger, Exception exception, string id, DateTimeOffset minute);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Crontab config {Id} changed, but its firing of {Minute} queued before the change could not be taken back: it runs as the config was")]
    private static partial void LogQueueAheadNotCancelled(ILogger logger, Exception exception, string id, DateTimeOffset minute);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Crontab config {Id} could not set its next firing; the reminder tries again")]
    private static partial void LogSchedulingFailed(ILogger logger, Exception exception, string id);

    [LoggerMessage(EventId = 4040, Level = LogLevel.Warning, Message = "Crontab config {Id} missed {Count} firing(s) while the cluster was down, recorded from {First} to {Last}; run once for them: {RunOnce}")]
    private static partial void LogMissedWhileDown(ILogger logger, string id, int count, DateTimeOffset first, DateTimeOffset last, bool runOnce);

    [LoggerMessage(EventId = 4041, Level = LogLevel.Warning, Message = "Crontab config {Id} could not look for firings missed while the cluster was down")]
    private static partial void LogCatchUpFailed(ILogger logger, Exception exception, string id);
}
