using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OrleansFunc.Storage;

namespace OrleansFunc.Tests.Infrastructure;

/// <summary>
/// One real PostgreSQL server for the whole test run, started the way the product starts its
/// embedded one; each test server gets a database of its own on it.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<Task<EmbeddedPostgres>> Server = new(StartAsync);

    /// <summary>A connection string to a new, empty database.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var server = await Server.Value;
        var name = $"test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
    }

    private static async Task<EmbeddedPostgres> StartAsync()
    {
        var folder = TestPaths.NewFolderKeptAtExit("pg");
        // On 127.0.0.1: the tests' scripts use it as a data source too.
        var server = await EmbeddedPostgres.StartAsync(folder, "/usr/lib/postgresql/15/bin", "orleansfunc", NullLogger.Instance, onLoopback: true);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            server.StopAsync().GetAwaiter().GetResult();
            Directory.Delete(folder, recursive: true);
        };
        return server;
    }
}
