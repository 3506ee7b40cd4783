using OrleansFunc.Common;
using OrleansFunc.Crontabs;
using OrleansFunc.WebFront.Api.Users;
using OrleansFunc.WebFront.Auth;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Crontabs;

/// <summary>
/// <c>/api/v1/crontab-pause</c>: every crontab config paused at once for maintenance (administrators pause and resume;
/// every signed-in user sees it, and the console shows a banner). Firings in the pause do not run and are not replayed.
/// </summary>
public static class CrontabPauseApi
{
    public sealed record PauseBody(DateTimeOffset? PausedUntil, string? Note);

    public static RouteGroupBuilder MapCrontabPauseApi(this RouteGroupBuilder api)
    {
        var pause = api.MapGroup("/crontab-pause").WithTags("Crontab configs");
        pause.MapGet("/", GetAsync);
        pause.MapPut("/", PauseAsync).RequireAuthorization(UsersApi.AdminPolicy).RecordsOperation(EntityType.CrontabConfig, "pauseAll");
        pause.MapDelete("/", ResumeAsync).RequireAuthorization(UsersApi.AdminPolicy).RecordsOperation(EntityType.CrontabConfig, "resumeAll");
        return api;
    }

    private static ICrontabPauseGrain Pause(IGrainFactory grains) => grains.GetGrain<ICrontabPauseGrain>(ICrontabPauseGrain.Key);

    private static async Task<EnvelopeResult<CrontabPause>> GetAsync(IGrainFactory grains, TimeProvider clock)
    {
        var pause = await Pause(grains).GetAsync();
        return Envelopes.Ok(pause.IsPausedAt(clock.GetUtcNow()) ? pause : CrontabPause.None);
    }

    private static async Task<EnvelopeResult<CrontabPause>> PauseAsync(PauseBody body, IGrainFactory grains, HttpContext http) =>
        Envelopes.Ok(await Pause(grains).PauseAsync(
            body.PausedUntil ?? throw Errors.DffException.BadRequest("InvalidPause", "'pausedUntil' is required", new { field = "pausedUntil" }),
            body.Note, http.User.GetActor()));

    private static async Task<EnvelopeResult<CrontabPause>> ResumeAsync(IGrainFactory grains) =>
        Envelopes.Ok(await Pause(grains).ResumeAsync());
}
