using System.Diagnostics;
using OrleansFunc.Common;
using OrleansFunc.Tests.Infrastructure;
using OrleansFunc.Tests.Infrastructure.DataServers;
using Xunit;

namespace OrleansFunc.Tests.DataSources;

/// <summary>MQTT topic handlers: one subscription per source, handlers on the sync lane, reconnection (SPEC D1).</summary>
[Collection(SharedServerCollection.Name)]
public sealed class MqttSubscriptionTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private string Token => fixture.AdminToken;

    /// <summary>Publishes handlers that append what they get to a Redis list, and returns (func ID prefix, Redis source, list key).</summary>
    private async Task<(string FuncPrefix, string Redis, string Key)> PublishHandlersAsync()
    {
        var redis = await fixture.CreateSourceAsync("redis", await TestDataServers.RedisConfigAsync());
        var key = SharedServerFixture.UniqueId("got");
        var set = SharedServerFixture.UniqueId("mqh");
        var code = $$"""
            @DFF.API('Specific')
            def on_specific(topic, message):
                DFF.SRC('{{redis}}').query('RPUSH', '{{key}}', 'specific|' + topic + '|' + message)

            @DFF.API('Any')
            def on_any(topic, message):
                DFF.SRC('{{redis}}').query('RPUSH', '{{key}}', 'any|' + topic + '|' + message)
            """;
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, Token)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__h", codeDraft = code }, Token)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{set}__h/publish", new { }, Token)).AssertOk();
        return ($"{set}__h", redis, key);
    }

    private async Task<string[]> ReceivedAsync(string redis, string key) =>
        (await Server.PostAsync($"/api/v1/data-sources/{redis}/query", new { command = $"LRANGE {key} 0 -1" }, Token)).AssertOk()
            .GetProperty("result").EnumerateArray().Select(m => m.GetString()!).ToArray();

    private Task<string[]> WaitReceivedAsync(string redis, string key, int count, string phase) =>
        Eventually.ValueAsync($"{phase}: the handlers to get {count} messages", () => ReceivedAsync(redis, key), got => got.Length >= count,
            interval: TimeSpan.FromMilliseconds(200));

    private Task WaitSubscribedAsync(string source) =>
        Eventually.HoldsAsync($"data source {source} to subscribe",
            async () => (await Server.GetAsync($"/api/v1/data-sources/{source}/subscription", Token)).AssertOk().GetProperty("subscribed").GetBoolean());

    private Task PublishAsync(string source, string topic, string message) =>
        Server.PostAsync($"/api/v1/data-sources/{source}/query", new { command = $"publish {topic} {message}" }, Token).ContinueWith(t => t.Result.AssertOk());

    [Fact]
    public async Task Subscription_RunsTheFirstMatchingHandlerWithTopicAndMessage()
    {
        var (funcs, redis, key) = await PublishHandlersAsync();
        var root = $"t{Guid.NewGuid():N}";
        var config = await TestDataServers.MqttConfigAsync();
        config["topicHandlers"] = new object[]
        {
            new { topic = $"{root}/a/+", funcId = $"{funcs}.on_specific" },
            new { topic = $"{root}/#", funcId = $"{funcs}.on_any" },
            new { topic = $"{root}/off", funcId = $"{funcs}.on_specific", isDisabled = true },
        };
        var source = await fixture.CreateSourceAsync("mqtt", config);
        await WaitSubscribedAsync(source);

        await PublishAsync(source, $"{root}/a/x", "hello");
        await WaitReceivedAsync(redis, key, 1, "first message");
        await PublishAsync(source, $"{root}/b", "there");

        Assert.Equal([$"specific|{root}/a/x|hello", $"any|{root}/b|there"], await WaitReceivedAsync(redis, key, 2, "second message"));
        var scrape = await Eventually.ValueAsync("the handled messages to be counted", () => MetricsScrape.ReadAsync(Server),
            s => s.Sum("orleansfunc_mqtt_messages_total", ("data_source_id", source), ("result", "handled")) == 2);
        // Received counts the broker's deliveries: a message matching two subscriptions may come twice (handled once).
        Assert.InRange(scrape.Sum("orleansfunc_mqtt_messages_total", ("data_source_id", source), ("result", "received")), 2, 3);
    }

    [Fact]
    public async Task Subscription_EndsWithItsHandlersOrItsSource()
    {
        var (funcs, _, _) = await PublishHandlersAsync();
        var config = await TestDataServers.MqttConfigAsync();
        config["topicHandlers"] = new object[] { new { topic = "x/#", funcId = $"{funcs}.on_any" } };
        var source = await fixture.CreateSourceAsync("mqtt", config);
        await WaitSubscribedAsync(source);

        config.Remove("topicHandlers");
        (await Server.PatchAsync($"/api/v1/data-sources/{source}", new { configJSON = config }, Token)).AssertOk();
        Assert.False((await Server.GetAsync($"/api/v1/data-sources/{source}/subscription", Token)).AssertOk().GetProperty("subscribed").GetBoolean());
        (await Server.DeleteAsync($"/api/v1/data-sources/{source}", Token)).AssertOk();
        (await Server.GetAsync($"/api/v1/data-sources/{source}/subscription", Token)).AssertError(404.41);
    }

    [Fact]
    public async Task Subscription_ReconnectsAfterTheBrokerRestarts()
    {
        var (funcs, redis, key) = await PublishHandlersAsync();
        var folder = await ServerProcess.NewFolderAsync("mosquitto-restart");
        var port = FreePorts.Find();
        var broker = await TestDataServers.StartMosquittoInAsync(folder, port);
        var topic = $"r{Guid.NewGuid():N}";
        var source = await fixture.CreateSourceAsync("mqtt", new
        {
            host = "127.0.0.1", port, topicHandlers = new[] { new { topic, funcId = $"{funcs}.on_any" } },
        });
        await WaitSubscribedAsync(source);
        await PublishAsync(source, topic, "before");
        await WaitReceivedAsync(redis, key, 1, "before the restart");

        await broker.CrashAsync();
        broker = await TestDataServers.StartMosquittoInAsync(folder, port);
        try
        {
            // Until the subscription is back, messages are lost (at most once): publish until one gets through.
            await Eventually.HoldsAsync("a message handled after the broker's restart", async () =>
            {
                if ((await ReceivedAsync(redis, key)).Length >= 2)
                {
                    return true;
                }
                await PublishAsync(source, topic, "after");
                return false;
            }, interval: TimeSpan.FromMilliseconds(500));
            Assert.Equal($"any|{topic}|after", (await ReceivedAsync(redis, key))[1]);
        }
        finally
        {
            (await Server.DeleteAsync($"/api/v1/data-sources/{source}", Token)).AssertOk();
            broker.Stop();
        }
    }
}
