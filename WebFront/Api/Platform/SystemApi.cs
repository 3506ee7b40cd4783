using System.Reflection;
using System.Runtime.InteropServices;
using Npgsql;
using Orleans.Runtime;
using OrleansFunc.Hosting.Operations;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Platform;

/// <summary>Health probe (public) and facts about the installation.</summary>
public static class SystemApi
{
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

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthProbes((http, health, status) => EnvelopeWriter.WriteDataAsync(http, health, null, status));
        // Plain liveness without touching the database or the cluster; also the benchmarks' baseline.
        app.MapGet("/ping", () => "pong").WithTags("System");
        return app;
    }

    public static RouteGroupBuilder MapAboutApi(this RouteGroupBuilder api)
    {
        api.MapGet("/about", AboutAsync).WithTags("System");
        return api;
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
