using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OrleansFunc.Engine;
using OrleansFunc.Funcs;
using OrleansFunc.Telemetry;

namespace OrleansFunc.DataSources;

/// <summary>One topic → handler func pair of a subscribed source (MQTT topic filter, Redis channel or pattern).</summary>
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

/// <summary>A message as it arrived: its topic (channel), its text, and what the protocol adds to tell duplicates apart.</summary>
public sealed record ReceivedMessage(string Topic, string Text, object? Tag = null);

/// <summary>
/// The subscription of one source, held by its grain (so exactly one in the cluster): a kind keeps the connection and its
/// subscriptions up (reconnecting after the server goes away) and picks the handler of each message; this class runs it
/// as <c>handler(topic, message)</c> on the <c>sync</c> lane, one message at a time, outside every grain turn. Delivery is at
/// most once: a bounded buffer drops the oldest message when handlers fall behind, and a failed handler is logged (and
/// task-recorded), not retried.
/// </summary>
public abstract partial class TopicSubscription : IAsyncDisposable
{
    public const int BufferSize = 5000;
    protected static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(3);

    private readonly DataSourceType _type;
    private readonly FuncInvoker _invoker;
    private readonly TriggerMetrics _metrics;
    private readonly Channel<ReceivedMessage> _received;
    private readonly CancellationTokenSource _stopping = new();
    private Task _connecting = Task.CompletedTask;
    private Task _handling = Task.CompletedTask;

    protected TopicSubscription(DataSourceType type, string sourceId, JsonObject config, FuncInvoker invoker, TriggerMetrics metrics, ILogger logger)
    {
        _type = type;
        SourceId = sourceId;
        Config = config;
        Handlers = TopicHandler.Of(config);
        _invoker = invoker;
        _metrics = metrics;
        Logger = logger;
        _received = Channel.CreateBounded<ReceivedMessage>(
            new BoundedChannelOptions(BufferSize) { FullMode = BoundedChannelFullMode.DropOldest },
            _ => metrics.RecordSubscriptionMessage(type, sourceId, SubscriptionResults.Dropped));
    }

    /// <summary>The subscription of a source of a subscribing type, started.</summary>
    public static TopicSubscription Start(DataSourceType type, string sourceId, JsonObject config, FuncInvoker invoker, TriggerMetrics metrics, ILogger logger)
    {
        TopicSubscription subscription = type == DataSourceType.Redis
            ? new RedisSubscription(sourceId, config, invoker, metrics, logger)
            : new MqttSubscription(sourceId, config, invoker, metrics, logger);
        subscription._connecting = Task.Run(() => subscription.KeepConnectedAsync(subscription._stopping.Token));
        subscription._handling = Task.Run(subscription.HandleMessagesAsync);
        return subscription;
    }

    protected string SourceId { get; }

    protected JsonObject Config { get; }

    protected IReadOnlyList<TopicHandler> Handlers { get; }

    protected ILogger Logger { get; }

    /// <summary>Whether the client is connected and subscribed right now.</summary>
    public bool IsSubscribed { get; protected set; }

    /// <summary>Connects, subscribes to every handler's topic, and does so again whenever the connection is lost, until stopped.</summary>
    protected abstract Task KeepConnectedAsync(CancellationToken stopping);

    /// <summary>The handler that runs for <paramref name="message"/>, or null (no match, or a copy another delivery handles).</summary>
    protected abstract TopicHandler? HandlerFor(ReceivedMessage message);

    /// <summary>Closes the connection once the subscription is stopped.</summary>
    protected abstract ValueTask CloseAsync();

    /// <summary>Takes a message in (from the client's thread): counted, then buffered for the handlers.</summary>
    protected void Receive(ReceivedMessage message)
    {
        _metrics.RecordSubscriptionMessage(_type, SourceId, SubscriptionResults.Received);
        _received.Writer.TryWrite(message);
    }

    /// <summary>Waits <see cref="RetryDelay"/>; false once stopping.</summary>
    protected static async Task<bool> PauseAsync(CancellationToken stopping)
    {
        try
        {
            await Task.Delay(RetryDelay, stopping);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task HandleMessagesAsync()
    {
        try
        {
            await foreach (var message in _received.Reader.ReadAllAsync(_stopping.Token))
            {
                if (HandlerFor(message) is { } handler)
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

    private async Task RunHandlerAsync(TopicHandler handler, ReceivedMessage message)
    {
        var kwargs = JsonSerializer.Serialize(new { topic = message.Topic, message = message.Text });
        var context = new RunContext(TaskOrigin.DataSource, SourceId);
        try
        {
            var outcome = await _invoker.CallAsync(handler.FuncId, kwargs, new FuncCallOptions(null), TaskOrigin.DataSource.Describe().Lane, context);
            _metrics.RecordSubscriptionMessage(_type, SourceId, outcome.Run.IsSuccess ? SubscriptionResults.Handled : SubscriptionResults.Failed);
            if (!outcome.Run.IsSuccess)
            {
                LogHandlerFailed(Logger, SourceId, handler.FuncId, message.Topic, outcome.Run.Error?.Message ?? outcome.Run.Status);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _metrics.RecordSubscriptionMessage(_type, SourceId, SubscriptionResults.Failed);
            LogHandlerFailed(Logger, SourceId, handler.FuncId, message.Topic, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _received.Writer.TryComplete();
        await Task.WhenAll(_connecting, _handling);
        await CloseAsync();
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Data source {SourceId}: handler {FuncId} of topic {Topic} failed: {Reason}")]
    private static partial void LogHandlerFailed(ILogger logger, string sourceId, string funcId, string topic, string reason);
}
