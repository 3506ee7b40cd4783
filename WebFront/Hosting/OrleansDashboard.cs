using Orleans.Dashboard;
using OrleansFunc.Hosting;
using OrleansFunc.WebFront.Api.Users;

namespace OrleansFunc.WebFront.Hosting;

/// <summary>Orleans' dashboard under <see cref="Path"/>, when <see cref="TelemetrySettings.Dashboard"/> is on, for administrators only.</summary>
public static class OrleansDashboard
{
    public const string Path = "/orleans-dashboard";

    public static WebApplication MapOrleansDashboardForAdmins(this WebApplication app)
    {
        if (app.Services.GetRequiredService<OrleansFuncOptions>().Telemetry.Dashboard)
        {
            app.MapOrleansDashboard(Path).RequireAuthorization(UsersApi.AdminPolicy).ExcludeFromDescription();
        }
        return app;
    }
}
