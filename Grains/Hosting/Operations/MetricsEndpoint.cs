using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OrleansFunc.Common;
using OrleansFunc.Telemetry;

namespace OrleansFunc.Hosting.Operations;

/// <summary>
/// <c>GET /metrics</c> for Prometheus, on a WebFront and on a silo's operations port: our own instruments (<see cref="FuncMetrics"/>), Orleans' meter, ASP.NET Core's
/// and the .NET runtime's, read only with the scrape token of <see cref="OrleansFuncOptions.MetricsTokenFile"/>;
/// any other request answers the 404 of an unknown route.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static WebApplication MapOrleansFuncMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<OrleansFuncOptions>();
        if (options.Telemetry.Metrics)
        {
            var expected = Encoding.ASCII.GetBytes($"Bearer {LoadOrCreateToken(options.MetricsTokenFile)}");
            app.UseWhen(http => http.Request.Path == Path && !HasToken(http, expected),
                refused => refused.Run(http =>
                {
                    http.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }));
            app.UseOpenTelemetryPrometheusScrapingEndpoint(Path);
        }
        return app;
    }

    /// <summary>32 random bytes as hex, the file's content (mode 600) whichever host of a shared data folder made it.</summary>
    private static string LoadOrCreateToken(string path) =>
        Encoding.ASCII.GetString(PrivateFiles.LoadOrCreate(path, () => Encoding.ASCII.GetBytes(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))))).Trim();

    private static bool HasToken(HttpContext http, byte[] expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(http.Request.Headers.Authorization.ToString()), expected);
}
