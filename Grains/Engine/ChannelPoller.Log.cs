using Microsoft.Extensions.Logging;

namespace OrleansFunc.Engine;

public sealed partial class ChannelPoller
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Critical, Message = "Watching the worker channels failed (epoll_wait errno {Errno}); every worker channel was ended")]
    private static partial void LogPollFailed(ILogger logger, int errno);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "A worker channel's reader failed; the channel was ended")]
    private static partial void LogSinkFailed(ILogger logger, Exception exception);
}
