using System.Reflection;
using System.Runtime.InteropServices;
using Npgsql;
using Orleans.Runtime;
using OrleansFunc.Errors;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Platform;

/// <summary>Health probe (public) and facts about the installation.</summary>
public static class SystemApi
{
    public sealed record Health(string Status, string Database, string Cluster);

    public sealed record ClusterMember(string Address, string HostName, string SiloName, string Status, DateTime StartTime);

    /// <param name="Version">Product version; a build from a git checkout adds <c>+&lt;commit&gt;</c>.</param>
    public sealed record About(string Version, string DotnetVersion, string OrleansVersion, string PythonVersion, string PostgresVersion,
        string OsDescription, IReadOnlyList<ClusterMember> ClusterMembers);

    /// <summary>The Python the workers embed (Debian's), asked once.</summary>
    private static readonly Lazy<Task<string>> PythonVersion = new(async () =>
    {
        try
        {
            using var python = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/python3", "-V")
            {
                RedirectStandardOutput = true,
            })!;
            var version = await python.StandardOutput.ReadToEndAsync();
            await python.WaitForExitAsync();
            return version.Trim();
        }
        catch (System.ComponentModel.Win32Exception missing)
        {
            return $"unknown ({missing.Message})";
        }
    });

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", HealthAsync).WithTags("System");
        // Plain liveness without touching the database or the cluster; also the benchmarks' baseline.
        app.MapGet("/ping", () => "pong").WithTags("System");
        return app;
    }

    public static RouteGroupBuilder MapAboutApi(this RouteGroupBuilder api)
    {
        api.MapGet("/about", AboutAsync).WithTags("System");
        return api;
    }

    /// <summary>200 when the database answers and the cluster has an active silo; 503 otherwise.</summary>
    private static async Task HealthAsync(HttpContext http, NpgsqlDataSource database, IGrainFactory grains)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        timeout.CancelAfter(ProbeTimeout);
        var databaseStatus = await ProbeAsync(async () =>
        {
            await using var command = database.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
        });
        var clusterStatus = await ProbeAsync(async () =>
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(timeout.Token);
            if (hosts.Count == 0)
            {
                throw new InvalidOperationException("no active silo");
            }
        });
        var healthy = databaseStatus == "ok" && clusterStatus == "ok";
        var health = new Health(healthy ? "healthy" : "unhealthy", databaseStatus, clusterStatus);
        await EnvelopeWriter.WriteDataAsync(http, health, null,
            healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<string> ProbeAsync(Func<Task> probe)
    {
        try
        {
            await probe();
            return "ok";
        }
        catch (Exception failure) when (failure is not DffException)
        {
            return $"failing: {failure.Message}";
        }
    }

    private static async Task<EnvelopeResult<About>> AboutAsync(IGrainFactory grains, NpgsqlDataSource database)
    {
        await using var postgres = database.CreateCommand("SHOW server_version");
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true);
        var members = hosts
            .Select(h => new ClusterMember(h.SiloAddress.ToString(), h.HostName, h.SiloName, h.Status.ToString(), h.StartTime))
            .OrderBy(m => m.Address, StringComparer.Ordinal)
            .ToList();
        return Envelopes.Ok(new About(
            typeof(SystemApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0",
            RuntimeInformation.FrameworkDescription,
            typeof(IManagementGrain).Assembly.GetName().Version?.ToString() ?? "",
            await PythonVersion.Value,
            $"PostgreSQL {await postgres.ExecuteScalarAsync()}",
            RuntimeInformation.OSDescription,
            members));
    }
}
