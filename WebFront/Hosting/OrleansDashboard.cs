using Orleans.Dashboard;
using OrleansFunc.Hosting;
using OrleansFunc.WebFront.Api.Users;

namespace OrleansFunc.WebFront.Hosting;

/// <summary>
/// Orleans' dashboard under <see cref="Path"/>, when <see cref="TelemetrySettings.Dashboard"/> is on, for administrators
/// only. It lives under <c>/api/</c>, the path of the console's session cookie, and the cookie counts there for reads
/// without the console's header (see <see cref="Auth.SessionCookie"/>): a browser opening the page cannot add a header.
/// </summary>
public static class OrleansDashboard
{
    public const string Path = "/api/v1/orleans-dashboard";

    /// <summary>A read of the dashboard (its page, files and data): the only requests the cookie counts for without the console's header.</summary>
    public static bool IsRead(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Path.StartsWithSegments(Path);

    public static WebApplication MapOrleansDashboardForAdmins(this WebApplication app)
    {
        if (app.Services.GetRequiredService<OrleansFuncOptions>().Telemetry.Dashboard)
        {
            app.MapOrleansDashboard(Path).RequireAuthorization(UsersApi.AdminPolicy).ExcludeFromDescription();
        }
        return app;
    }
}
