using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using OrleansFunc.Funcs;

namespace OrleansFunc.DataSources;

/// <summary>
/// The MQTT (v5) subscription of a source: one subscription per distinct topic, identified, so that a message matching
/// several is handled once, by its first matching handler.
/// </summary>
public sealed partial class MqttSubscription : TopicSubscription
{
    private readonly IMqttClient _client;

    public MqttSubscription(string sourceId, JsonObject config, FuncInvoker invoker, Telemetry.TriggerMetrics metrics, ILogger logger)
        : base(DataSourceType.Mqtt, sourceId, config, invoker, metrics, logger)
    {
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var message = e.ApplicationMessage;
            Receive(new ReceivedMessage(message.Topic, message.ConvertPayloadToString(), message.SubscriptionIdentifiers));
            return Task.CompletedTask;
        };
    }

    protected override async Task KeepConnectedAsync(CancellationToken stopping)
    {
        do
        {
            try
            {
                if (!_client.IsConnected)
                {
                    IsSubscribed = false;
                    await _client.ConnectAsync(ClientOptions(), stopping);
                    foreach (var topic in Handlers.Select(h => h.Topic).Distinct())
                    {
                        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                            .WithTopicFilter(f => f.WithTopic(topic).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                            .WithSubscriptionIdentifier(SubscriptionIdOf(topic))
                            .Build(), stopping);
                    }
                    IsSubscribed = true;
                    LogSubscribed(Logger, SourceId, Handlers.Count);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                LogConnectFailed(Logger, SourceId, e.Message);
            }
        }
        while (await PauseAsync(stopping));
    }

    private MqttClientOptions ClientOptions()
    {
        var port = Config["port"]?.GetValue<int>() ?? 1883;
        var clientId = $"{Config["clientId"]?.GetValue<string>() ?? "orleansfunc"}-sub-{SourceId}";
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(Config["host"]!.GetValue<string>(), port)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(5));
        if (Config["user"]?.GetValue<string>() is { } user)
        {
            options.WithCredentials(user, Config["password"]?.GetValue<string>());
        }
        return options.Build();
    }

    protected override TopicHandler? HandlerFor(ReceivedMessage message)
    {
        var handler = Handlers.FirstOrDefault(h => MqttTopicFilterComparer.Compare(message.Topic, h.MatchFilter) == MqttTopicFilterCompareResult.IsMatch);
        return handler is not null && Handles(handler, message.Tag as IReadOnlyCollection<uint>) ? handler : null;
    }

    /// <summary>1-based position of a topic among the distinct topics: its MQTT v5 subscription identifier.</summary>
    private uint SubscriptionIdOf(string topic) => (uint)Handlers.Select(h => h.Topic).Distinct().ToList().IndexOf(topic) + 1;

    /// <summary>
    /// A broker sends a message once per matching subscription (each copy naming its subscription) or once
    /// naming them all: only the copy that names the first matching handler's subscription runs it.
    /// </summary>
    private bool Handles(TopicHandler handler, IReadOnlyCollection<uint>? ids) =>
        ids is not { Count: > 0 } || ids.Contains(SubscriptionIdOf(handler.Topic));

    protected override async ValueTask CloseAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }
        _client.Dispose();
    }
}
