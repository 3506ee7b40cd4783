using System.Text.Json;
using OrleansFunc.Common;
using OrleansFunc.Crontabs;
using OrleansFunc.Engine;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.WebFront.Auth;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Crontabs;

/// <summary><c>/api/v1/crontab-configs</c>: managing crontab configs and running them by hand (SPEC M3).</summary>
public static class CrontabConfigsApi
{
    /// <summary>
    /// Fields of a config as the API takes them. <c>timezone</c> is an IANA name (empty = the
    /// server's); <c>expireTime</c> an ISO 8601 time, <c>null</c> removes it on update. <c>retry</c> as <see cref="RetryField"/>
    /// reads it; an empty <c>errorHandlerFuncId</c> removes the handler.
    /// </summary>
    public sealed record CrontabConfigBody(
        string? Id, string? FuncId, JsonElement? FuncCallKwargs, string? Crontab, string? Timezone, JsonElement ExpireTime,
        bool? IsDisabled, int? TaskRecordLimit, string? Note, JsonElement PausedUntil = default, MissedRuns? MissedRuns = null,
        JsonElement Retry = default, string? ErrorHandlerFuncId = null)
    {
        public CrontabConfigFields ToFields()
        {
            if (FuncCallKwargs is { } kwargs && kwargs.ValueKind != JsonValueKind.Object)
            {
                throw DffException.BadRequest("InvalidKwargs", "'funcCallKwargs' must be a JSON object", new { field = "funcCallKwargs" });
            }
            var (expireTime, clearExpireTime) = ExpireTimeField.Read(ExpireTime);
            var (pausedUntil, clearPausedUntil) = ExpireTimeField.Read(PausedUntil, "pausedUntil");
            var (retry, clearRetry) = RetryField.Read(Retry);
            return new CrontabConfigFields(FuncId, FuncCallKwargs?.GetRawText(), Crontab, Timezone, expireTime, clearExpireTime,
                IsDisabled, TaskRecordLimit, Note, pausedUntil, clearPausedUntil, MissedRuns,
                retry, clearRetry, ErrorHandlerFuncId);
        }
    }

    /// <summary>A config as the API shows it, with the expression in effect and its next firing (null when it will not fire).</summary>
    public sealed record CrontabConfigView(
        string Id, string FuncId, JsonElement FuncCallKwargs, string Crontab, string? Timezone, DateTimeOffset? ExpireTime,
        bool IsDisabled, int? TaskRecordLimit, string Note, DateTimeOffset CreateTime, DateTimeOffset UpdateTime,
        string EffectiveCrontab, bool IsFixedByFunc, DateTimeOffset? NextRunTime, DateTimeOffset? PausedUntil, MissedRuns MissedRuns,
        RetryPolicy? Retry, string? ErrorHandlerFuncId)
    {
        public static async Task<CrontabConfigView> OfAsync(CrontabConfigInfo c, IGrainFactory grains)
        {
            var schedule = await grains.GetGrain<ICrontabGrain>(c.Id).GetScheduleAsync();
            return new CrontabConfigView(c.Id, c.FuncId, JsonDocument.Parse(c.FuncCallKwargsJson).RootElement.Clone(), c.Crontab,
                c.TimeZone, c.ExpireTime, c.IsDisabled, c.TaskRecordLimit, c.Note, c.CreateTime, c.UpdateTime,
                schedule.EffectiveCrontab, schedule.IsFixedByFunc, schedule.NextRunTime, c.PausedUntil, c.MissedRuns, c.Retry, c.ErrorHandlerFuncId);
        }
    }

    public sealed record DeletedCrontabConfig(string Id);

    /// <summary>A manual run: its task record is at <c>/api/v1/task-records/{taskId}</c> and in the config's task records.</summary>
    public sealed record ManualRun(string TaskId, string ResultUrl);

    public static RouteGroupBuilder MapCrontabConfigsApi(this RouteGroupBuilder api)
    {
        var configs = api.MapGroup("/crontab-configs").WithTags("Crontab configs");
        configs.MapGet("/", ListAsync);
        configs.MapPost("/", CreateAsync).RecordsOperation(EntityType.CrontabConfig, "create");
        configs.MapGet("/{id}", GetAsync);
        configs.MapPatch("/{id}", UpdateAsync).RecordsOperation(EntityType.CrontabConfig, "modify");
        configs.MapDelete("/{id}", DeleteAsync).RecordsOperation(EntityType.CrontabConfig, "delete");
        configs.MapPost("/{id}/run", RunAsync).RecordsOperation(EntityType.CrontabConfig, "run");
        return api;
    }

    private static async Task<EnvelopeResult<IReadOnlyList<CrontabConfigView>>> ListAsync([AsParameters] Paging paging, IGrainFactory grains)
    {
        var page = await grains.DirectoryOf<CrontabConfigInfo>().ListAsync(paging.ToRequest());
        var views = await Task.WhenAll(page.Items.Select(config => CrontabConfigView.OfAsync(config, grains)));
        return Envelopes.Page(new Page<CrontabConfigView>(views, page.TotalCount, page.Request));
    }

    private static async Task<EnvelopeResult<CrontabConfigView>> CreateAsync(CrontabConfigBody body, IGrainFactory grains)
    {
        var id = body.Id ?? CallRules.NewId("cron");
        CallRules.RequireValidId(id);
        var config = await grains.GetGrain<ICrontabGrain>(id).CreateAsync(body.ToFields());
        return Envelopes.Ok(await CrontabConfigView.OfAsync(config, grains));
    }

    private static async Task<EnvelopeResult<CrontabConfigView>> GetAsync(string id, IGrainFactory grains) =>
        Envelopes.Ok(await CrontabConfigView.OfAsync(await grains.GetGrain<ICrontabGrain>(id).GetAsync(), grains));

    private static async Task<EnvelopeResult<CrontabConfigView>> UpdateAsync(string id, CrontabConfigBody body, IGrainFactory grains)
    {
        if (body.Id is not null && body.Id != id)
        {
            throw DffException.BadRequest("IdChange", "A crontab config's ID cannot be changed", new { field = "id" });
        }
        var config = await grains.GetGrain<ICrontabGrain>(id).UpdateAsync(body.ToFields());
        return Envelopes.Ok(await CrontabConfigView.OfAsync(config, grains));
    }

    private static async Task<EnvelopeResult<DeletedCrontabConfig>> DeleteAsync(string id, IGrainFactory grains)
    {
        await grains.GetGrain<ICrontabGrain>(id).DeleteAsync();
        return Envelopes.Ok(new DeletedCrontabConfig(id));
    }

    private static async Task<EnvelopeResult<ManualRun>> RunAsync(string id, IGrainFactory grains)
    {
        var taskId = await grains.GetGrain<ICrontabGrain>(id).RunNowAsync();
        return Envelopes.Ok(new ManualRun(taskId, $"/api/v1/task-records/{Uri.EscapeDataString(taskId)}"));
    }
}
