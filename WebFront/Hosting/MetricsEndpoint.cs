using System.Net;
using OpenTelemetry.Metrics;
using OrleansFunc.Hosting;
using OrleansFunc.Telemetry;

namespace OrleansFunc.WebFront.Hosting;

/// <summary>
/// <c>GET /metrics</c> for Prometheus: our own instruments (<see cref="FuncMetrics"/>), Orleans' meter, ASP.NET Core's
/// and the .NET runtime's, read only from this machine and the networks <see cref="TelemetrySettings.MetricsAllowedNetworks"/> names.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static WebApplicationBuilder AddOrleansFuncMetrics(this WebApplicationBuilder builder, OrleansFuncOptions options)
    {
        if (options.Telemetry.Metrics)
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter(FuncMetrics.MeterName, "Microsoft.Orleans")
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        }
        return builder;
    }

    public static WebApplication MapOrleansFuncMetrics(this WebApplication app)
    {
        var telemetry = app.Services.GetRequiredService<OrleansFuncOptions>().Telemetry;
        if (telemetry.Metrics)
        {
            var allowed = telemetry.MetricsAllowedNetworks.Select(n => IPNetwork.Parse(n)).ToList();
            app.UseWhen(http => http.Request.Path == Path && !IsAllowed(http.Connection.RemoteIpAddress, allowed),
                refused => refused.Run(http =>
                {
                    http.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }));
            app.UseOpenTelemetryPrometheusScrapingEndpoint(Path);
        }
        return app;
    }

    private static bool IsAllowed(IPAddress? caller, List<IPNetwork> allowed) =>
        caller is not null && (IPAddress.IsLoopback(caller) || allowed.Any(network => network.Contains(caller.IsIPv4MappedToIPv6 ? caller.MapToIPv4() : caller)));
}
