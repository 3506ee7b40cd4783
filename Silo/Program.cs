using System.Text.Json;
using OrleansFunc.Hosting;
using OrleansFunc.Hosting.Operations;

// A headless silo that joins the cluster of a WebFront (or other silos) through the shared PostgreSQL; with an
// operations port it also answers health probes and Prometheus there (and nothing else: no API, no console).
var headless = Host.CreateApplicationBuilder(args);
headless.Configuration.AddOrleansFuncEnvironment();
var options = headless.Configuration.ReadOrleansFuncOptions();
if (string.IsNullOrWhiteSpace(options.Storage.ConnectionString))
{
    throw new InvalidOperationException(
        "Setting OrleansFunc:Storage:ConnectionString must name the cluster's PostgreSQL: a Silo joins a cluster, it does not start its own database.");
}

using var startupLogging = LoggerFactory.Create(logging => logging.AddConsole());
await using var storage = await StorageStartup.PrepareAsync(options, startupLogging);
if (options.Telemetry.OperationsPort == 0)
{
    headless.UseOrleans(silo => silo.UseOrleansFunc(options, storage.ConnectionString));
    headless.AddOrleansFuncTelemetry(options);
    await headless.Build().RunAsync();
}
else
{
    var builder = WebApplication.CreateBuilder(args);
    builder.Configuration.AddOrleansFuncEnvironment();
    builder.WebHost.UseUrls($"http://{options.Telemetry.OperationsAddress}:{options.Telemetry.OperationsPort}");
    builder.UseOrleans(silo => silo.UseOrleansFunc(options, storage.ConnectionString));
    builder.AddOrleansFuncTelemetry(options);
    var app = builder.Build();
    app.UseOrleansFuncTracing();
    app.MapOrleansFuncMetrics();
    app.MapHealthProbes((http, health, status) =>
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(health, JsonSerializerOptions.Web);
    });
    await app.RunAsync();
}
