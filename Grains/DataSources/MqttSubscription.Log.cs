using Microsoft.Extensions.Logging;

namespace OrleansFunc.DataSources;

public sealed partial class MqttSubscription
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Data source {SourceId}: subscribed to {Count} MQTT topics")]
    private static partial void LogSubscribed(ILogger logger, string sourceId, int count);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Data source {SourceId}: MQTT connection failed, retrying: {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, string sourceId, string reason);
}
