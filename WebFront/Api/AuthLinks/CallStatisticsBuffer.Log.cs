namespace OrleansFunc.WebFront.Api.AuthLinks;

public sealed partial class CallStatisticsBuffer
{
    [LoggerMessage(EventId = 2301, Level = LogLevel.Debug, Message = "Could not send call statistics of auth link {LinkId}")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, string linkId);
}
