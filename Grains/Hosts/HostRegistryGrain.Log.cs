using Microsoft.Extensions.Logging;

namespace OrleansFunc.Hosts;

public sealed partial class HostRegistryGrain
{
    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Host {HostId} did not take a change in time ({Error}); its copies expire on their own")]
    private static partial void LogUnanswered(ILogger logger, string hostId, string error);
}
