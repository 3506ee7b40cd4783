namespace OrleansFunc.WebFront.Api.Calls;

public sealed partial class UploadStore
{
    [LoggerMessage(EventId = 2311, Level = LogLevel.Warning, Message = "Could not remove the expired temporary file {Folder}")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, string folder);
}
