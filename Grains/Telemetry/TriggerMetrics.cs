using System.Diagnostics.Metrics;

namespace OrleansFunc.Telemetry;

/// <summary>What arrives from outside before a run: auth-link calls refused by throttling, and messages of subscribed sources.</summary>
public sealed class TriggerMetrics
{
    private readonly Counter<long> _throttled;
    private readonly Counter<long> _mqttMessages;
    private readonly Counter<long> _redisMessages;

    public TriggerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(FuncMetrics.MeterName);
        _throttled = meter.CreateCounter<long>("orleansfunc.authlink.throttled", "{call}", "Auth-link calls refused by the link's throttling, by link");
        _mqttMessages = meter.CreateCounter<long>("orleansfunc.mqtt.messages", "{message}",
            "MQTT messages of subscribed data sources, by data source and result: received (deliveries from the broker: a message matching two subscriptions may come twice), handled (its handler succeeded), failed (its handler failed), dropped (the buffer was full)");
        _redisMessages = meter.CreateCounter<long>("orleansfunc.redis.messages", "{message}",
            "Redis pub/sub messages of subscribed data sources, by data source and result: received, handled, failed, dropped (the buffer was full)");
    }

    public void RecordThrottled(string linkId) => _throttled.Add(1, new KeyValuePair<string, object?>("link.id", linkId));

    /// <summary>A message of a subscribed source: <c>orleansfunc.mqtt.messages</c> or <c>orleansfunc.redis.messages</c> by its type.</summary>
    public void RecordSubscriptionMessage(DataSources.DataSourceType type, string sourceId, string result) =>
        (type == DataSources.DataSourceType.Redis ? _redisMessages : _mqttMessages)
            .Add(1, new KeyValuePair<string, object?>("data_source.id", sourceId), new KeyValuePair<string, object?>("result", result));
}

/// <summary>The results of <c>orleansfunc.mqtt.messages</c> and <c>orleansfunc.redis.messages</c>.</summary>
public static class SubscriptionResults
{
    public const string Received = "received";
    public const string Handled = "handled";
    public const string Failed = "failed";
    public const string Dropped = "dropped";
}
