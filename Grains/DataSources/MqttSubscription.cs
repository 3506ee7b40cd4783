using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using OrleansFunc.Engine;
using OrleansFunc.Funcs;
using OrleansFunc.Telemetry;

namespace OrleansFunc.DataSources;

/// <summary>One topic → handler func pair of an MQTT source.</summary>
public sealed record TopicHandler(string Topic, string FuncId)
{
    /// <summary>The topic to match against: shared-subscription prefixes (<c>$share/group/</c>, <c>$queue/</c>) are not part of it.</summary>
    public string MatchFilter => Topic.StartsWith("$share/", StringComparison.Ordinal) && Topic.IndexOf('/', 7) is var end and > 0
        ? Topic[(end + 1)..]
        : Topic.StartsWith("$queue/", StringComparison.Ordinal) ? Topic[7..] : Topic;

    /// <summary>The enabled handlers of a saved config.</summary>
    public static IReadOnlyList<TopicHandler> Of(JsonObject config) =>
        config["topicHandlers"] is JsonArray handlers
            ? handlers.OfType<JsonObject>()
                .Where(h => h["isDisabled"]?.GetValue<bool>() != true)
                .Select(h => new TopicHandler(h["topic"]!.GetValue<string>(), h["funcId"]!.GetValue<string>()))
                .ToList()
            : [];
}

/// <summary>
/// The MQTT subscription of one source, held by its grain (so exactly one in the cluster). Connects
/// and subscribes to every handler's topic, reconnects after the broker goes away, and runs the first
/// matching handler as <c>handler(topic, message)</c> on the <c>sync</c> lane, one message at a time,
/// outside every grain turn. Delivery is at most once: a bounded buffer drops the oldest message when
/// handlers fall behind, and a failed handler is logged (and task-recorded), not retried.
/// </summary>
public sealed partial class MqttSubscription : IAsyncDisposable
{
    public const int BufferSize = 5000;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(3);

    private readonly string _sourceId;
    private readonly JsonObject _config;
    private readonly IReadOnlyList<TopicHandler> _handlers;
    private readonly FuncInvoker _invoker;
    private readonly ILogger _logger;
    private readonly IMqttClient _client;
    private readonly Telemetry.TriggerMetrics _metrics;
    private readonly Channel<MqttApplicationMessage> _received;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _connecting;
    private readonly Task _handling;

    public MqttSubscription(string sourceId, JsonObject config, FuncInvoker invoker, Telemetry.TriggerMetrics metrics, ILogger logger)
    {
        _sourceId = sourceId;
        _metrics = metrics;
        _received = Channel.CreateBounded<MqttApplicationMessage>(
            new BoundedChannelOptions(BufferSize) { FullMode = BoundedChannelFullMode.DropOldest },
            _ => metrics.RecordMqttMessage(sourceId, MqttResults.Dropped));
        _config = config;
        _handlers = TopicHandler.Of(config);
        _invoker = invoker;
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            metrics.RecordMqttMessage(sourceId, MqttResults.Received);
            _received.Writer.TryWrite(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        _connecting = Task.Run(KeepConnectedAsync);
        _handling = Task.Run(HandleMessagesAsync);
    }

    /// <summary>Whether the client is connected and subscribed right now.</summary>
    public bool IsSubscribed { get; private set; }

    private async Task KeepConnectedAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    IsSubscribed = false;
                    await _client.ConnectAsync(ClientOptions(), stopping);
                    // One subscription per topic, identified, so that a message matching several is handled once (see Handles).
                    foreach (var topic in _handlers.Select(h => h.Topic).Distinct())
                    {
                        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                            .WithTopicFilter(f => f.WithTopic(topic).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                            .WithSubscriptionIdentifier(SubscriptionIdOf(topic))
                            .Build(), stopping);
                    }
                    IsSubscribed = true;
                    LogSubscribed(_logger, _sourceId, _handlers.Count);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                LogConnectFailed(_logger, _sourceId, e.Message);
            }
            try
            {
                await Task.Delay(RetryDelay, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private MqttClientOptions ClientOptions()
    {
        var port = _config["port"]?.GetValue<int>() ?? 1883;
        var clientId = $"{_config["clientId"]?.GetValue<string>() ?? "orleansfunc"}-sub-{_sourceId}";
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(_config["host"]!.GetValue<string>(), port)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(5));
        if (_config["user"]?.GetValue<string>() is { } user)
        {
            options.WithCredentials(user, _config["password"]?.GetValue<string>());
        }
        return options.Build();
    }

    private async Task HandleMessagesAsync()
    {
        try
        {
            await foreach (var message in _received.Reader.ReadAllAsync(_stopping.Token))
            {
                var handler = _handlers.FirstOrDefault(h =>
                    MqttTopicFilterComparer.Compare(message.Topic, h.MatchFilter) == MqttTopicFilterCompareResult.IsMatch);
                if (handler is not null && Handles(handler, message))
                {
                    await RunHandlerAsync(handler, message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    /// <summary>1-based position of a topic among the distinct topics: its MQTT v5 subscription identifier.</summary>
    private uint SubscriptionIdOf(string topic) => (uint)_handlers.Select(h => h.Topic).Distinct().ToList().IndexOf(topic) + 1;

    /// <summary>
    /// A broker sends a message once per matching subscription (each copy naming its subscription) or once
    /// naming them all: only the copy that names the first matching handler's subscription runs it.
    /// </summary>
    private bool Handles(TopicHandler handler, MqttApplicationMessage message) =>
        message.SubscriptionIdentifiers is not { Count: > 0 } ids || ids.Contains(SubscriptionIdOf(handler.Topic));

    private async Task RunHandlerAsync(TopicHandler handler, MqttApplicationMessage message)
    {
        var kwargs = JsonSerializer.Serialize(new { topic = message.Topic, message = message.ConvertPayloadToString() });
        var context = new RunContext(TaskOrigin.DataSource, _sourceId);
        try
        {
            var outcome = await _invoker.CallAsync(handler.FuncId, kwargs, new FuncCallOptions(null), TaskOrigin.DataSource.Describe().Lane, context);
            _metrics.RecordMqttMessage(_sourceId, outcome.Run.IsSuccess ? MqttResults.Handled : MqttResults.Failed);
            if (!outcome.Run.IsSuccess)
            {
                LogHandlerFailed(_logger, _sourceId, handler.FuncId, message.Topic, outcome.Run.Error?.Message ?? outcome.Run.Status);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _metrics.RecordMqttMessage(_sourceId, MqttResults.Failed);
            LogHandlerFailed(_logger, _sourceId, handler.FuncId, message.Topic, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _received.Writer.TryComplete();
        await Task.WhenAll(_connecting, _handling);
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }
        _client.Dispose();
        _stopping.Dispose();
    }
}
