using OrleansFunc.Common;
using OrleansFunc.Settings;
using OrleansFunc.WebFront.Api.Users;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Platform;

/// <summary>
/// <c>/api/v1/installation-settings</c>: settings of the whole installation (the error handler of queued runs that fail);
/// every member reads them, administrators change them.
/// </summary>
public static class InstallationSettingsApi
{
    public static RouteGroupBuilder MapInstallationSettingsApi(this RouteGroupBuilder api)
    {
        var settings = api.MapGroup("/installation-settings").WithTags("Installation settings");
        settings.MapGet("/", GetAsync);
        settings.MapPatch("/", UpdateAsync).RequireAuthorization(UsersApi.AdminPolicy)
            .RecordsOperation(EntityType.InstallationSettings, "modify");
        return api;
    }

    private static async Task<EnvelopeResult<InstallationSettings>> GetAsync(IGrainFactory grains) =>
        Envelopes.Ok(await Settings(grains).GetAsync());

    /// <summary>Changes the fields given: an empty <c>errorHandlerFuncId</c> removes the handler.</summary>
    private static async Task<EnvelopeResult<InstallationSettings>> UpdateAsync(InstallationSettingsFields body, IGrainFactory grains) =>
        Envelopes.Ok(await Settings(grains).UpdateAsync(body));

    private static IInstallationSettingsGrain Settings(IGrainFactory grains) =>
        grains.GetGrain<IInstallationSettingsGrain>(IInstallationSettingsGrain.Key);
}
