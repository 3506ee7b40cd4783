using Microsoft.Extensions.Logging;

namespace OrleansFunc.DataSources;

public sealed partial class MqttSubscription
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Data source {SourceId}: subscribed to {Count} MQTT topics")]
    private static partial void LogSubscribed(ILogger logger, string sourceId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Data source {SourceId}: MQTT connection failed, retrying: {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, string sourceId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Data source {SourceId}: handler {FuncId} of topic {Topic} failed: {Reason}")]
    private static partial void LogHandlerFailed(ILogger logger, string sourceId, string funcId, string topic, string reason);
}
