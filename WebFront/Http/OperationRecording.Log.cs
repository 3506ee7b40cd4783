namespace OrleansFunc.WebFront.Http;

public static partial class OperationRecording
{
    [LoggerMessage(EventId = 2201, Level = LogLevel.Error, Message = "The refused change {Method} {Path} could not be recorded")]
    private static partial void LogRefusalNotRecorded(ILogger logger, Exception exception, string method, string path);
}
