using System.Text.Json;
using Npgsql;
using Xunit;

namespace OrleansFunc.Tests.Infrastructure;

/// <summary>
/// Another client of the embedded server that takes every connection it can, and ends the server's own
/// sessions, so that the server gets none until this is disposed.
/// </summary>
public sealed class ConnectionHog : IAsyncDisposable
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
