using OrleansFunc.Hosting;
using OrleansFunc.WebFront.Api;
using OrleansFunc.WebFront.Hosting;
using OrleansFunc.Hosting.Operations;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddOrleansFuncEnvironment();
var options = builder.Configuration.ReadOrleansFuncOptions();

using var startupLogging = LoggerFactory.Create(logging => logging.AddConsole());
await using var storage = await StorageStartup.PrepareAsync(options, startupLogging);

builder.AddOrleansFuncCluster(options, storage.ConnectionString);
builder.AddOrleansFuncHttp(options);
builder.AddOrleansFuncTelemetry(options);

var app = builder.Build();
app.UseOrleansFuncTracing();
app.UseOrleansFuncHttp();
app.MapOrleansFuncMetrics();
app.MapOrleansFuncApi();
app.MapOrleansDashboardForAdmins();
app.MapWebConsole();
await app.RunAsync();

/// <summary>Entry point, visible to the tests.</summary>
public partial class Program;
