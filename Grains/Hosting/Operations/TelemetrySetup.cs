using System.Diagnostics;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OrleansFunc.Telemetry;

namespace OrleansFunc.Hosting.Operations;

/// <summary>
/// OpenTelemetry for a host: metrics (ours, Orleans', ASP.NET Core's, the runtime's) for <c>/metrics</c> and, with an
/// OTLP endpoint, pushed there too; traces (ASP.NET Core's request span, Orleans' grain-call spans, ours) only with an
/// OTLP endpoint, since a span nobody receives is work for nothing.
/// </summary>
public static class TelemetrySetup
{
    private static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    private const string AspNetCoreSource = "Microsoft.AspNetCore";

    private static readonly HashSet<string> UntracedPaths = ["/ping", "/healthz", "/healthz/live", "/healthz/ready", "/metrics"];

    public static IHostApplicationBuilder AddOrleansFuncTelemetry(this IHostApplicationBuilder builder, OrleansFuncOptions options)
    {
        var telemetry = options.Telemetry;
        if (!telemetry.Metrics && !telemetry.Tracing)
        {
            return builder;
        }
        var otel = builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource
            .AddService("orleansfunc", serviceVersion: ProductVersion, serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"));
        otel.WithMetrics(metrics =>
        {
            metrics.AddMeter(FuncMetrics.MeterName).AddAspNetCoreInstrumentation().AddRuntimeInstrumentation();
            if (telemetry.OrleansMetrics)
            {
                metrics.AddMeter("Microsoft.Orleans");
            }
            if (telemetry.Metrics)
            {
                metrics.AddPrometheusExporter();
            }
            if (telemetry.Tracing)
            {
                metrics.AddOtlpExporter((exporter, reader) =>
                {
                    Configure(exporter, telemetry, "v1/metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)telemetry.OtlpMetricsInterval.TotalMilliseconds;
                });
            }
        });
        if (telemetry.Tracing)
        {
            otel.WithTracing(tracing =>
            {
                // ASP.NET Core's own request span with its own OpenTelemetry tags, not the instrumentation package's:
                // that one subscribes to every diagnostic event of every request, sampled or not, which cost more than
                // the spans of the sampled ones (bench/telemetry, run F).
                AppContext.SetSwitch("Microsoft.AspNetCore.Hosting.SuppressActivityOpenTelemetryData", false);
                tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(telemetry.TraceSampleRatio)))
                    .AddSource(FuncTracing.SourceName, AspNetCoreSource)
                    .AddOtlpExporter(exporter => Configure(exporter, telemetry, "v1/traces"));
                if (telemetry.TraceGrainCalls)
                {
                    tracing.AddSource(OrleansSources);
                }
            });
        }
        return builder;
    }

    /// <summary>
    /// First in a host's pipeline when traces are on: probes and scrapes are no calls anyone follows, so their span
    /// (made before any path is known) is left unrecorded and nothing under it is made.
    /// </summary>
    public static WebApplication UseOrleansFuncTracing(this WebApplication app)
    {
        if (app.Services.GetRequiredService<OrleansFuncOptions>().Telemetry.Tracing)
        {
            app.Use((http, next) =>
            {
                if (Activity.Current is { Recorded: true, Source.Name: AspNetCoreSource } span && UntracedPaths.Contains(http.Request.Path.Value ?? ""))
                {
                    span.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
                    span.IsAllDataRequested = false;
                }
                return next(http);
            });
        }
        return app;
    }

    private static void Configure(OtlpExporterOptions exporter, TelemetrySettings telemetry, string httpPath)
    {
        var endpoint = new Uri(telemetry.OtlpEndpoint!);
        if (telemetry.OtlpProtocol == "grpc")
        {
            exporter.Protocol = OtlpExportProtocol.Grpc;
            exporter.Endpoint = endpoint;
        }
        else
        {
            // Set in code, the HTTP endpoint is used as it is: the signal's path is ours to add.
            exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
            exporter.Endpoint = new Uri(endpoint, endpoint.AbsolutePath.TrimEnd('/') + "/" + httpPath);
        }
    }

    public static string ProductVersion { get; } =
        typeof(TelemetrySetup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
