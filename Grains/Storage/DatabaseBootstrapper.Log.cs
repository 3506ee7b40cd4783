using Microsoft.Extensions.Logging;

namespace OrleansFunc.Storage;

public static partial class DatabaseBootstrapper
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Applied database script {Script}")]
    private static partial void LogApplied(ILogger logger, string script);
}
