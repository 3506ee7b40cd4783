using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansFunc.Hosting.Operations;

/// <summary>
/// <c>/healthz/live</c> (the process serves requests: restart it when this fails), <c>/healthz/ready</c> (send it
/// work: see <see cref="Readiness"/>) and <c>/healthz</c> (readiness, the probe of earlier versions), each answered
/// by the host's own writer (a WebFront's envelope, a silo's plain JSON).
/// </summary>
public static class HealthEndpoints
{
    public delegate Task HealthWriter(HttpContext http, Readiness.Health health, int status);

    public static IEndpointRouteBuilder MapHealthProbes(this IEndpointRouteBuilder app, HealthWriter write)
    {
        app.MapGet("/healthz", http => WriteReadinessAsync(http, write)).WithTags("System");
        app.MapGet("/healthz/ready", http => WriteReadinessAsync(http, write)).WithTags("System");
        app.MapGet("/healthz/live", http => write(http, new Readiness.Health("alive", "not asked", "not asked", "not asked"), StatusCodes.Status200OK))
            .WithTags("System");
        return app;
    }

    private static async Task WriteReadinessAsync(HttpContext http, HealthWriter write)
    {
        var health = await http.RequestServices.GetRequiredService<Readiness>().CheckAsync(http.RequestAborted);
        await write(http, health, health.Status == "healthy" ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
