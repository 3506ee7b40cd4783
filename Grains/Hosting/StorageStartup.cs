using Microsoft.Extensions.Logging;
using OrleansFunc.Storage;

namespace OrleansFunc.Hosting;

/// <summary>
/// The database a host runs on, made ready before the host is built: the configured server, or the
/// embedded one started in the data folder; Orleans tables and our migrations applied either way.
/// Disposing stops an embedded server.
/// </summary>
public sealed class StorageStartup : IAsyncDisposable
{
    private readonly EmbeddedPostgres? _embedded;

    private StorageStartup(string connectionString, EmbeddedPostgres? embedded)
    {
        ConnectionString = connectionString;
        _embedded = embedded;
    }

    public string ConnectionString { get; }

    public bool IsEmbedded => _embedded is not null;

    public static async Task<StorageStartup> PrepareAsync(OrleansFuncOptions options, ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger<StorageStartup>();
        EmbeddedPostgres? embedded = null;
        var connectionString = options.Storage.ConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            embedded = await EmbeddedPostgres.StartAsync(options.DataFolder, options.Storage.PostgresBinDirectory,
                options.Storage.EmbeddedOsUser, loggerFactory.CreateLogger<EmbeddedPostgres>());
            connectionString = embedded.ConnectionString;
        }
        try
        {
            await DatabaseBootstrapper.RunAsync(connectionString, logger);
        }
        catch
        {
            if (embedded is not null)
            {
                await embedded.StopAsync();
            }
            throw;
        }
        return new StorageStartup(connectionString, embedded);
    }

    public async ValueTask DisposeAsync()
    {
        if (_embedded is not null)
        {
            await _embedded.StopAsync();
        }
    }
}
