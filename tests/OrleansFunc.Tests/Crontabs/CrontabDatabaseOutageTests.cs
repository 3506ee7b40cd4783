using System.Text.Json;
using Npgsql;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Crontabs;

/// <summary>
/// PostgreSQL with no connection left for the server for two minutes (another client holds them all):
/// no crontab firing is lost (slow: tagged Cron).
/// </summary>
[Trait("Category", "Cron")]
public sealed class CrontabDatabaseOutageTests
{
    [Fact]
    public async Task WhileTheDatabaseTakesNoConnection_AFiringIsWrittenLate_OrRecordedAsMissed_NeverLost()
    {
        var settings = new TestServer.Settings(TestPaths.NewTempFolder("cron-outage"));
        await using var server = await TestServer.StartAsync(settings);
        var token = await server.SetUpAndSignInAsync();
        var script = await CronFiringScript.PublishAsync(server, token);
        var file = Path.Combine(CronFiringScript.NewOutputFolder(), "every");
        await MinuteClock.WaitForSecondOfMinuteAsync(3, 40);
        var first = MinuteClock.NextMinute(DateTimeOffset.UtcNow);
        (await server.PostAsync("/api/v1/crontab-configs",
            new { id = "every", funcId = $"{script}.record", crontab = "* * * * *", funcCallKwargs = new { path = file } }, token)).AssertOk();
        await MinuteClock.WaitUntilAsync(first.AddSeconds(10));
        Assert.Equal([(first, 0)], CronFiringScript.Executions(file));

        // From first + 10 s to first + 2 min 20 s the server gets no connection: the firing of first + 1 min cannot be
        // written before first + 2 min is due (missed), and that of first + 2 min is written late, when connections come back.
        await using (var hog = await ConnectionHog.TakeAllAsync(settings.DataFolder))
        {
            await MinuteClock.WaitUntilAsync(first.AddMinutes(2).AddSeconds(20));
            Assert.True(hog.Held > 10, $"only {hog.Held} connections were held");
        }
        var fourth = first.AddMinutes(3);
        await MinuteClock.WaitUntilAsync(fourth.AddSeconds(15));

        var records = await Eventually.ValueAsync("every minute's task record, ended",
            async () => (await server.GetAsync("/api/v1/task-records?origin=crontab&originId=every", token)).AssertOk().EnumerateArray()
                .Select(r => (Minute: r.GetProperty("triggerTime").GetDateTimeOffset(), Status: r.GetProperty("status").GetString()))
                .OrderBy(r => r.Minute).ToList(),
            found => found.Count == 4 && found.All(r => r.Status is not ("queued" or "running")), TimeSpan.FromSeconds(60));
        Assert.Equal([(first, "success"), (first.AddMinutes(1), "missed"), (first.AddMinutes(2), "success"), (fourth, "success")], records);
        // The missed minute never ran; the late one ran once.
        Assert.Equal([first, first.AddMinutes(2), fourth], CronFiringScript.Executions(file).Select(e => e.Minute));
    }

    /// <summary>
    /// Another client of the embedded server that takes every connection it can, and ends the server's own
    /// sessions, so that the server gets none until this is disposed.
    /// </summary>
    private sealed class ConnectionHog : IAsyncDisposable
    {
        private readonly List<NpgsqlConnection> _connections = [];
        private readonly CancellationTokenSource _stop = new();
        private Task _keeping = Task.CompletedTask;

        public int Held => _connections.Count;

        public static async Task<ConnectionHog> TakeAllAsync(string dataFolder)
        {
            // postmaster.pid: pid, folder, start time, port, socket folder, listen address, ...
            var postmaster = File.ReadAllLines(Path.Combine(dataFolder, "pg", "postmaster.pid"));
            using var credentials = JsonDocument.Parse(File.ReadAllText(Path.Combine(dataFolder, "pg-credentials.json")));
            var connectionString = new NpgsqlConnectionStringBuilder
            {
                Host = postmaster[4].Trim() is { Length: > 0 } socketFolder ? socketFolder : "127.0.0.1",
                Port = int.Parse(postmaster[3]),
                Username = "orleansfunc",
                Password = credentials.RootElement.GetProperty("password").GetString(),
                Database = "orleansfunc",
                Pooling = false,
                ApplicationName = "connection-hog",
            }.ConnectionString;
            var hog = new ConnectionHog();
            await hog.TakeAsync(connectionString);
            Assert.True(hog.Held > 0, "the hog got no connection");
            // The server's pools reconnect as their sessions end: keep taking what frees up.
            hog._keeping = Task.Run(async () =>
            {
                while (!hog._stop.IsCancellationRequested)
                {
                    await hog.TakeAsync(connectionString);
                    await Task.Delay(200);
                }
            });
            return hog;
        }

        /// <summary>Opens connections until the server refuses, then ends every session that is not one of them.</summary>
        private async Task TakeAsync(string connectionString)
        {
            while (true)
            {
                var connection = new NpgsqlConnection(connectionString);
                try
                {
                    await connection.OpenAsync();
                    _connections.Add(connection);
                }
                catch (PostgresException)
                {
                    await connection.DisposeAsync();
                    break;
                }
            }
            if (_connections.Count > 0)
            {
                await using var end = new NpgsqlCommand(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE backend_type = 'client backend' AND application_name <> 'connection-hog'",
                    _connections[0]);
                await end.ExecuteScalarAsync();
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            await _keeping;
            foreach (var connection in _connections)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
