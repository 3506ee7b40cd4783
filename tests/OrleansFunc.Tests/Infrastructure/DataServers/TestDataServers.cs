using Npgsql;
using OrleansFunc.Common;

namespace OrleansFunc.Tests.Infrastructure.DataServers;

/// <summary>
/// One real server of each data source type that Debian packages, started on first use and shared
/// by the test run. Each test makes its own database, table or key names.
/// </summary>
public static class TestDataServers
{
    public const string User = "dff";
    public const string Password = "dff-test-password";
    public const string Database = "dfftest";

    private static readonly Lazy<Task<ServerProcess>> MariaDbServer = new(StartMariaDbAsync);
    private static readonly Lazy<Task<ServerProcess>> RedisServer = new(StartRedisAsync);
    private static readonly Lazy<Task<ServerProcess>> MemcachedServer = new(StartMemcachedAsync);
    private static readonly Lazy<Task<ServerProcess>> MosquittoServer = new(StartMosquittoAsync);
    private static readonly Lazy<Task<ServerProcess>> InfluxDbServer = new(StartInfluxDbAsync);
    private static readonly Lazy<Task<ServerProcess>> ClickHouseServer = new(StartClickHouseAsync);
    private static readonly Lazy<Task<Dictionary<string, object>>> PostgresDatabase = new(CreatePostgresDatabaseAsync);

    /// <summary>MariaDB with user <see cref="User"/> / <see cref="Password"/> and database <see cref="Database"/>.</summary>
    public static async Task<Dictionary<string, object>> MariaDbConfigAsync() => new()
    {
        ["host"] = "127.0.0.1", ["port"] = (await MariaDbServer.Value).Port, ["database"] = Database, ["user"] = User, ["password"] = Password,
    };

    /// <summary>The shared test PostgreSQL with its own login role and database.</summary>
    public static async Task<Dictionary<string, object>> PostgresConfigAsync() => new(await PostgresDatabase.Value);

    public static async Task<Dictionary<string, object>> RedisConfigAsync() => new() { ["host"] = "127.0.0.1", ["port"] = (await RedisServer.Value).Port };

    public static async Task<Dictionary<string, object>> MemcachedConfigAsync() => new() { ["servers"] = $"127.0.0.1:{(await MemcachedServer.Value).Port}" };

    public static async Task<Dictionary<string, object>> MqttConfigAsync() => new() { ["host"] = "127.0.0.1", ["port"] = (await MosquittoServer.Value).Port };

    public static async Task<Dictionary<string, object>> InfluxDbConfigAsync() => new() { ["host"] = "127.0.0.1", ["port"] = (await InfluxDbServer.Value).Port };

    public static async Task<Dictionary<string, object>> ClickHouseConfigAsync() => new()
    {
        ["host"] = "127.0.0.1", ["port"] = (await ClickHouseServer.Value).Port, ["database"] = "default", ["user"] = "default", ["password"] = Password,
    };

    private static async Task<ServerProcess> StartMariaDbAsync()
    {
        var folder = await ServerProcess.NewFolderAsync("mariadb");
        var data = Path.Combine(folder, "data");
        var socket = Path.Combine(folder, "mysqld.sock");
        await ServerProcess.RunToEndAsync(folder, "mariadb-install-db", "--no-defaults", $"--datadir={data}",
            "--auth-root-authentication-method=socket", "--skip-test-db");
        var port = FreePorts.Find();
        var server = await ServerProcess.StartAsync(folder, port, "mariadbd", "--no-defaults", $"--datadir={data}", $"--port={port}",
            "--bind-address=127.0.0.1", $"--socket={socket}", $"--pid-file={Path.Combine(folder, "mysqld.pid")}",
            "--skip-log-bin", "--innodb-buffer-pool-size=16M", "--performance-schema=OFF");
        // The installing OS user may sign in over the socket; it creates the password user the sources use.
        var osUser = Environment.IsPrivilegedProcess ? ServerProcess.OsUserWhenRoot : Environment.UserName;
        await ServerProcess.RunToEndAsync(folder, "mariadb", "--no-defaults", $"--socket={socket}", $"--user={osUser}", "-e",
            $"CREATE USER '{User}'@'%' IDENTIFIED BY '{Password}'; GRANT ALL ON *.* TO '{User}'@'%'; CREATE DATABASE {Database};");
        return server;
    }

    private static async Task<ServerProcess> StartRedisAsync() => await StartRedisInAsync(await ServerProcess.NewFolderAsync("redis"), FreePorts.Find());

    /// <summary>A Redis of one test's own in <paramref name="folder"/>; started again on the same port it plays a server restart.</summary>
    public static async Task<ServerProcess> StartRedisInAsync(string folder, int port) =>
        await ServerProcess.StartAsync(folder, port, "redis-server", "--port", port.ToString(), "--bind", "127.0.0.1",
            "--dir", folder, "--save", "", "--appendonly", "no");

    private static async Task<ServerProcess> StartMemcachedAsync()
    {
        var folder = await ServerProcess.NewFolderAsync("memcached");
        var port = FreePorts.Find();
        return await ServerProcess.StartAsync(folder, port, "memcached", "-l", "127.0.0.1", "-p", port.ToString(), "-U", "0", "-m", "16",
            "-P", Path.Combine(folder, "memcached.pid"));
    }

    private static async Task<ServerProcess> StartMosquittoAsync() => await StartMosquittoInAsync(await ServerProcess.NewFolderAsync("mosquitto"), FreePorts.Find());

    /// <summary>A broker of one test's own in <paramref name="folder"/>; started again on the same port it plays a broker restart.</summary>
    public static async Task<ServerProcess> StartMosquittoInAsync(string folder, int port)
    {
        var config = Path.Combine(folder, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n");
        return await ServerProcess.StartAsync(folder, port, "mosquitto", "-c", config);
    }

    private static async Task<ServerProcess> StartInfluxDbAsync()
    {
        var folder = await ServerProcess.NewFolderAsync("influxdb");
        var port = FreePorts.Find();
        var config = Path.Combine(folder, "influxdb.conf");
        await File.WriteAllTextAsync(config, $"""
            reporting-disabled = true
            bind-address = "127.0.0.1:{FreePorts.Find()}"
            [meta]
              dir = "{folder}/meta"
            [data]
              dir = "{folder}/data"
              wal-dir = "{folder}/wal"
              query-log-enabled = false
            [http]
              bind-address = "127.0.0.1:{port}"
              log-enabled = false
            [monitor]
              store-enabled = false
            """);
        return await ServerProcess.StartAsync(folder, port, "influxd", "-config", config);
    }

    private static async Task<ServerProcess> StartClickHouseAsync()
    {
        var folder = await ServerProcess.NewFolderAsync("clickhouse");
        var port = FreePorts.Find();
        await File.WriteAllTextAsync(Path.Combine(folder, "users.xml"), $"""
            <?xml version="1.0"?>
            <yandex>
                <profiles><default/></profiles>
                <users><default>
                    <password>{Password}</password>
                    <networks><ip>127.0.0.1</ip></networks>
                    <profile>default</profile>
                    <quota>default</quota>
                </default></users>
                <quotas><default/></quotas>
            </yandex>
            """);
        var config = Path.Combine(folder, "config.xml");
        await File.WriteAllTextAsync(config, $"""
            <?xml version="1.0"?>
            <yandex>
                <logger><level>warning</level><console>1</console></logger>
                <listen_host>127.0.0.1</listen_host>
                <tcp_port>{port}</tcp_port>
                <http_port>{FreePorts.Find()}</http_port>
                <path>{folder}/data/</path>
                <tmp_path>{folder}/tmp/</tmp_path>
                <user_files_path>{folder}/user_files/</user_files_path>
                <format_schema_path>{folder}/format_schemas/</format_schema_path>
                <users_config>users.xml</users_config>
                <default_profile>default</default_profile>
                <default_database>default</default_database>
                <mark_cache_size>5368709</mark_cache_size>
                <uncompressed_cache_size>8589934</uncompressed_cache_size>
            </yandex>
            """);
        return await ServerProcess.StartAsync(folder, port, "clickhouse-server", $"--config-file={config}");
    }

    private static async Task<Dictionary<string, object>> CreatePostgresDatabaseAsync()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(await TestPostgres.CreateDatabaseAsync());
        await using (var connection = new NpgsqlConnection(connectionString.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand(
                $"CREATE ROLE {User} LOGIN PASSWORD '{Password}'; GRANT ALL ON SCHEMA public TO {User}; " +
                $"GRANT CONNECT ON DATABASE {connectionString.Database} TO {User}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new Dictionary<string, object>
        {
            ["host"] = "127.0.0.1", ["port"] = connectionString.Port, ["database"] = connectionString.Database!, ["user"] = User, ["password"] = Password,
        };
    }
}
