namespace OrleansFunc.WebFront.Http;

public sealed partial class ApiExceptionHandler
{
    [LoggerMessage(EventId = 2202, Level = LogLevel.Error, Message = "Unexpected error in {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}
