using OrleansFunc.Tests.Crontabs;
using OrleansFunc.Tests.Infrastructure;
using OrleansFunc.Tests.Infrastructure.DataServers;
using Xunit;

namespace OrleansFunc.Tests.Hosting;

/// <summary>
/// A silo killed (-9) in a cluster of three while it holds scheduled, queued and subscribed work: none of it
/// is lost (slow: real minutes, tagged Cron).
/// </summary>
[Trait("Category", "Cron")]
public sealed class SiloLossTests
{
    private static string Code(string messagesFile) => $$"""
        import time

        def _append(path, line):
            with open(path, 'a') as f:
                f.write(line + '\n')

        @DFF.API('Tick')
        def tick(path):
            _append(path, '%d %s' % (_DFF_TRIGGER_TIME, _DFF_SILO))

        @DFF.API('On message')
        def on_message(topic, message):
            _append('{{messagesFile}}', message + ' ' + _DFF_SILO)

        @DFF.API('Slow', timeout=15)
        def slow(path, n):
            _append(path, 'start %s %s' % (n, _DFF_SILO))
            time.sleep(6)
            _append(path, 'end %s %s' % (n, _DFF_SILO))
        """;

    [Fact]
    public async Task KillingTheSiloThatHeldThem_LosesNoCrontabMinute_NoQueuedTask_AndNoSubscription()
    {
        // A queued task's lease: 6 s here (renewed every 2 s), so a dead silo's task runs again within 6 s.
        // The funcs write what they did to files, in a folder their sandbox lets them write to.
        await using var cluster = await LocalCluster.StartAsync(webFronts: 2, silos: 1,
            "OrleansFunc__Engine__TaskLease=00:00:06", $"OrleansFunc__Engine__WorkerWritableFolders__0={TestPaths.ScriptOutput}");
        var api = cluster.Balancer;
        var token = await api.SetUpAndSignInAsync();
        var output = CronFiringScript.NewOutputFolder();
        var messages = Path.Combine(output, "messages");
        var set = SharedServerFixture.UniqueId("loss");
        (await api.PostAsync("/api/v1/script-sets", new { id = set }, token)).AssertOk();
        (await api.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = Code(messages) }, token)).AssertOk();
        (await api.PostAsync($"/api/v1/scripts/{set}__main/publish", null, token)).AssertOk();

        // The MQTT subscription, and the silo that holds it: its handler runs there (a free local worker goes first).
        var root = $"t{Guid.NewGuid():N}";
        var config = await TestDataServers.MqttConfigAsync();
        config["topicHandlers"] = new object[] { new { topic = $"{root}/#", funcId = $"{set}__main.on_message" } };
        var source = SharedServerFixture.UniqueId("mq");
        (await api.PostAsync("/api/v1/data-sources", new { id = source, type = "mqtt", configJSON = config }, token)).AssertOk();
        await Eventually.HoldsAsync("the subscription", async () =>
            (await api.GetAsync($"/api/v1/data-sources/{source}/subscription", token)).AssertOk().GetProperty("subscribed").GetBoolean());
        var holder = (await HandledAsync(api, token, source, $"{root}/x", "m0", messages, _ => true)).Split(' ')[1];
        var holderPart = new[] { "web1", "web2", "silo1" }.Single(part => cluster.SiloName(part) == holder);

        // Six crontab configs, spread by Orleans over the silos (their reminders are), each firing every minute.
        var ticks = Enumerable.Range(0, 6).Select(i => Path.Combine(output, $"tick{i}")).ToList();
        foreach (var path in ticks)
        {
            (await api.PostAsync("/api/v1/crontab-configs", new { funcId = $"{set}__main.tick", funcCallKwargs = new { path }, crontab = "* * * * *" }, token))
                .AssertOk();
        }
        var now = DateTimeOffset.UtcNow;
        var first = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(now.Second < 50 ? 1 : 2);
        await Eventually.HoldsAsync($"every config to fire at {first:HH:mm}", () => ticks.All(path => Minutes(path).Contains(first)), TimeSpan.FromSeconds(150));

        // Six batch calls, some of them running on the holder when it dies.
        var batch = (await api.PostAsync("/api/v1/batches", new { funcId = $"{set}__main.slow", funcCallKwargs = new { path = Path.Combine(output, "batch") } }, token))
            .AssertOk().GetProperty("id").GetString()!;
        var tasks = new List<string>();
        for (var n = 0; n < 6; n++)
        {
            tasks.Add((await api.PostAsync($"/api/v1/bat/{batch}", new { kwargs = new { n } })).AssertOk().GetProperty("taskId").GetString()!);
        }
        await Eventually.HoldsAsync($"a batch task running on {holderPart}", () => Lines(Path.Combine(output, "batch")).Any(l => l.StartsWith("start") && l.EndsWith(holder)));

        System.Diagnostics.Process.GetProcessById(cluster.Pid(holderPart)).Kill();

        // The subscription comes back on another silo within a minute of the silo's death being declared: the source's
        // reminder (every minute) wakes it there. (15 s when measured; the bound is the promise.)
        var handledAfter = await HandledAsync(api, token, source, $"{root}/y", "m1", messages, line => !line.EndsWith(holder), TimeSpan.FromSeconds(75));
        Assert.NotEqual(holder, handledAfter.Split(' ')[1]);

        // Every batch task ends, those the holder had leased on another silo.
        foreach (var taskId in tasks)
        {
            Assert.Equal("success", (await api.WaitForTaskAsync(taskId, TimeSpan.FromSeconds(90))).GetProperty("status").GetString());
        }
        var ends = Lines(Path.Combine(output, "batch")).Where(l => l.StartsWith("end")).Select(l => l.Split(' ')).ToList();
        Assert.Equal(Enumerable.Range(0, 6).Select(n => n.ToString()), ends.Select(e => e[1]).Order());
        Assert.DoesNotContain(holder, ends.Select(e => e[2]));

        // Each config fired once in each minute: the one the silo died in, and the two after.
        var last = first.AddMinutes(2);
        await Eventually.HoldsAsync($"every config to fire at {last:HH:mm}", () => ticks.All(path => Minutes(path).Contains(last)), TimeSpan.FromSeconds(180));
        foreach (var path in ticks)
        {
            var fired = Minutes(path).Where(m => m >= first && m <= last).ToList();
            Assert.Equal([first, first.AddMinutes(1), last], fired);
        }
    }

    /// <summary>Publishes <paramref name="message"/> (again every 5 s) until a handled line passes <paramref name="accept"/>; returns it.</summary>
    private static async Task<string> HandledAsync(ApiClient api, string token, string source, string topic, string message, string messagesFile,
        Func<string, bool> accept, TimeSpan? limit = null) =>
        await Eventually.ValueAsync($"message {message} handled", async () =>
        {
            if (Lines(messagesFile).FirstOrDefault(l => l.StartsWith(message + " ") && accept(l)) is { } line)
            {
                return line;
            }
            await api.PostAsync($"/api/v1/data-sources/{source}/query", new { command = $"publish {topic} {message}" }, token);
            return null;
        }, line => line is not null, limit, TimeSpan.FromSeconds(5)) ?? "";

    private static string[] Lines(string path) => File.Exists(path) ? File.ReadAllLines(path) : [];

    private static List<DateTimeOffset> Minutes(string path) =>
        Lines(path).Select(l => DateTimeOffset.FromUnixTimeSeconds(long.Parse(l.Split(' ')[0]))).ToList();
}
