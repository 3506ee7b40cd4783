using System.Reflection;
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
                tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(telemetry.TraceSampleRatio)))
                    .AddSource(FuncTracing.SourceName)
                    // Probes and scrapes are no calls anyone follows.
                    .AddAspNetCoreInstrumentation(http =>
                    {
                        http.RecordException = true;
                        http.Filter = request => !UntracedPaths.Contains(request.Request.Path.Value ?? "");
                    })
                    .AddOtlpExporter(exporter => Configure(exporter, telemetry, "v1/traces"));
                if (telemetry.TraceGrainCalls)
                {
                    tracing.AddSource(OrleansSources);
                }
            });
        }
        return builder;
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
