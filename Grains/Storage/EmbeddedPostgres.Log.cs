using Microsoft.Extensions.Logging;

namespace OrleansFunc.Storage;

public sealed partial class EmbeddedPostgres
{
    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Initialised embedded PostgreSQL in {Directory}")]
    private static partial void LogInitialised(ILogger logger, string directory);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Started embedded PostgreSQL in {Directory}, listening on {Where}")]
    private static partial void LogStarted(ILogger logger, string directory, string where);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "Stopping an embedded PostgreSQL left running in {Directory}")]
    private static partial void LogStoppingOrphan(ILogger logger, string directory);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Information, Message = "Stopped embedded PostgreSQL in {Directory}")]
    private static partial void LogStopped(ILogger logger, string directory);
}
