using Microsoft.Extensions.Logging;

namespace OrleansFunc.Hosting;

public sealed partial class RepeatOnLostSilo
{
    [LoggerMessage(EventId = 8011, Level = LogLevel.Information, Message = "{Interface}.{Method} was refused as its silo left (attempt {Attempt}: {Reason}); asking again")]
    private static partial void LogRepeating(ILogger logger, string @interface, string method, int attempt, string reason);
}
