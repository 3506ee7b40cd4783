using OrleansFunc.Hosting;

// A headless silo that joins the cluster of a WebFront (or other silos) through the shared PostgreSQL.
var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddOrleansFuncEnvironment();
var options = builder.Configuration.ReadOrleansFuncOptions();
if (string.IsNullOrWhiteSpace(options.Storage.ConnectionString))
{
    throw new InvalidOperationException(
        "Setting OrleansFunc:Storage:ConnectionString must name the cluster's PostgreSQL: a Silo joins a cluster, it does not start its own database.");
}

using var startupLogging = LoggerFactory.Create(logging => logging.AddConsole());
await using var storage = await StorageStartup.PrepareAsync(options, startupLogging);
builder.UseOrleans(silo => silo.UseOrleansFunc(options, storage.ConnectionString));
await builder.Build().RunAsync();
