using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OrleansFunc.Funcs;
using StackExchange.Redis;

namespace OrleansFunc.DataSources;

/// <summary>
/// The Redis pub/sub subscription of a source: a topic with <c>*</c>, <c>?</c> or <c>[</c> is a pattern (PSUBSCRIBE), any
/// other a channel (SUBSCRIBE). The client reconnects by itself and subscribes again; a message delivered once per
/// matching subscription runs only the first matching handler, once.
/// </summary>
public sealed partial class RedisSubscription(string sourceId, JsonObject config, FuncInvoker invoker, Telemetry.TriggerMetrics metrics, ILogger logger)
    : TopicSubscription(DataSourceType.Redis, sourceId, config, invoker, metrics, logger)
{
    private ConnectionMultiplexer? _connection;

    protected override async Task KeepConnectedAsync(CancellationToken stopping)
    {
        do
        {
            try
            {
                if (_connection is null)
                {
                    // Never gives up connecting: it keeps trying, and subscribes again after every reconnection.
                    var connection = await ConnectionMultiplexer.ConnectAsync(Options());
                    foreach (var topic in Handlers.Select(h => h.Topic).Distinct())
                    {
                        await connection.GetSubscriber().SubscribeAsync(ChannelOf(topic),
                            (channel, value) => Receive(new ReceivedMessage(channel.ToString(), value.ToString(), topic)));
                    }
                    _connection = connection;
                }
                var subscribed = _connection.IsConnected;
                if (subscribed && !IsSubscribed)
                {
                    LogSubscribed(Logger, SourceId, Handlers.Count);
                }
                IsSubscribed = subscribed;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                IsSubscribed = false;
                LogConnectFailed(Logger, SourceId, e.Message);
            }
        }
        while (await PauseAsync(stopping));
    }

    private ConfigurationOptions Options()
    {
        var options = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            ConnectTimeout = 5000,
            ClientName = $"orleansfunc-sub-{SourceId}",
            Ssl = Config["useTLS"]?.GetValue<bool>() == true,
            User = Config["user"]?.GetValue<string>(),
            Password = Config["password"]?.GetValue<string>(),
        };
        options.EndPoints.Add(Config["host"]!.GetValue<string>(), Config["port"]?.GetValue<int>() ?? 6379);
        return options;
    }

    private static bool IsPattern(string topic) => topic.IndexOfAny(['*', '?', '[']) >= 0;

    private static RedisChannel ChannelOf(string topic) => IsPattern(topic) ? RedisChannel.Pattern(topic) : RedisChannel.Literal(topic);

    protected override TopicHandler? HandlerFor(ReceivedMessage message)
    {
        var handler = Handlers.FirstOrDefault(h => IsPattern(h.Topic) ? RedisGlob.IsMatch(h.Topic, message.Topic) : h.Topic == message.Topic);
        // The copy delivered by the first matching handler's own subscription runs it; copies of other subscriptions do not.
        return handler is not null && Equals(message.Tag, handler.Topic) ? handler : null;
    }

    protected override async ValueTask CloseAsync()
    {
        if (_connection is not null)
        {
            await _connection.CloseAsync();
            await _connection.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Data source {SourceId}: subscribed to {Count} Redis channels")]
    private static partial void LogSubscribed(ILogger logger, string sourceId, int count);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Data source {SourceId}: Redis connection failed, retrying: {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, string sourceId, string reason);
}

/// <summary>Redis's glob patterns (PSUBSCRIBE): <c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[^a]</c>, <c>[a-z]</c> and <c>\</c> escapes.</summary>
public static class RedisGlob
{
    public static bool IsMatch(string pattern, string text) => Match(pattern, 0, text, 0);

    private static bool Match(string p, int pi, string t, int ti)
    {
        while (pi < p.Length)
        {
            switch (p[pi])
            {
                case '*':
                    while (pi < p.Length && p[pi] == '*')
                    {
                        pi++;
                    }
                    if (pi == p.Length)
                    {
                        return true;
                    }
                    for (var start = ti; start <= t.Length; start++)
                    {
                        if (Match(p, pi, t, start))
                        {
                            return true;
                        }
                    }
                    return false;
                case '?':
                    if (ti >= t.Length)
                    {
                        return false;
                    }
                    pi++;
                    ti++;
                    break;
                case '[':
                    if (ti >= t.Length || !MatchClass(p, ref pi, t[ti]))
                    {
                        return false;
                    }
                    ti++;
                    break;
                default:
                    if (p[pi] == '\\' && pi + 1 < p.Length)
                    {
                        pi++;
                    }
                    if (ti >= t.Length || p[pi] != t[ti])
                    {
                        return false;
                    }
                    pi++;
                    ti++;
                    break;
            }
        }
        return ti == t.Length;
    }

    /// <summary>Matches <paramref name="c"/> against the class at <paramref name="pi"/> (on '['), leaving <paramref name="pi"/> after its ']'.</summary>
    private static bool MatchClass(string p, ref int pi, char c)
    {
        pi++;
        var negate = pi < p.Length && p[pi] == '^';
        if (negate)
        {
            pi++;
        }
        var matched = false;
        while (pi < p.Length && p[pi] != ']')
        {
            if (p[pi] == '\\' && pi + 1 < p.Length)
            {
                pi++;
                matched |= p[pi] == c;
                pi++;
            }
            else if (pi + 2 < p.Length && p[pi + 1] == '-' && p[pi + 2] != ']')
            {
                var (low, high) = p[pi] <= p[pi + 2] ? (p[pi], p[pi + 2]) : (p[pi + 2], p[pi]);
                matched |= c >= low && c <= high;
                pi += 3;
            }
            else
            {
                matched |= p[pi] == c;
                pi++;
            }
        }
        pi++; // the ']'
        return matched != negate;
    }
}
