using OrleansFunc.AuthLinks;
using OrleansFunc.Batches;
using OrleansFunc.Common;
using OrleansFunc.Crontabs;
using OrleansFunc.EnvVars;
using OrleansFunc.Funcs;
using OrleansFunc.Library;
using OrleansFunc.Records;
using OrleansFunc.Scripts;
using OrleansFunc.ScriptSets;
using OrleansFunc.Stats;
using OrleansFunc.Storage;
using OrleansFunc.Users;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Platform;

/// <summary><c>GET /api/v1/overview</c>: the state of the installation at a glance (SPEC M8).</summary>
public static class OverviewApi
{
    public sealed record EntityCounts(
        int ScriptSets, int Scripts, int Funcs, int AuthLinks, int CrontabConfigs, int Batches, int EnvVariables, int Users);

    public sealed record HostPools(string Host, IReadOnlyList<PoolStatus> Pools);

    public sealed record WaitingTasks(string Lane, int Queued, int Running);

    public sealed record CrontabOutlook(string Id, string FuncId, string Crontab, int Firings, DateTimeOffset? NextRunTime);

    /// <summary>A firing of the last hour: its task, config, func, minute and status (queued, running, success, skipped, missed...).</summary>
    public sealed record RecentFiring(string TaskId, string ConfigId, string FuncId, DateTimeOffset TriggerTime, string Status);

    /// <summary>
    /// Firings expected in the next 24 hours: the total, and the configs that fire most; and the firings of the last hour
    /// (the newest <see cref="ListedFirings"/>).
    /// </summary>
    public sealed record CronOutlook(int FiringsNext24Hours, IReadOnlyList<CrontabOutlook> BusiestConfigs, IReadOnlyList<RecentFiring> FiringsLastHour);

    private const int ListedFirings = 200;

    public sealed record Overview(
        EntityCounts Counts, IReadOnlyList<OriginCalls> CallsLastHour, IReadOnlyList<FuncCost> SlowestFuncs,
        IReadOnlyList<HostPools> WorkerPools, IReadOnlyList<WaitingTasks> WaitingTasks, CronOutlook Cron,
        IReadOnlyList<OperationRecord> RecentOperations, DatabaseConnections DatabaseConnections);

    private const int ListedConfigs = 10;

    public static RouteGroupBuilder MapOverviewApi(this RouteGroupBuilder api)
    {
        api.MapGet("/overview", GetAsync).WithTags("System");
        return api;
    }

    private static async Task<EnvelopeResult<Overview>> GetAsync(
        IGrainFactory grains, TaskRecordStore tasks, OperationRecordStore operations, Npgsql.NpgsqlDataSource database, HttpContext http)
    {
        var reports = await grains.GetGrain<IClusterStatsGrain>(IClusterStatsGrain.Key).GetAsync();
        var calls = reports.SelectMany(r => r.Calls).GroupBy(c => c.Origin)
            .Select(g => new OriginCalls(g.Key, g.Sum(c => c.Calls), g.Sum(c => c.Failures))).OrderBy(c => c.Origin, StringComparer.Ordinal).ToList();
        var slowest = reports.SelectMany(r => r.Funcs).GroupBy(f => f.FuncId)
            .Select(g => new FuncCost(g.Key, g.Sum(f => f.Calls), g.Sum(f => f.AverageMs * f.Calls) / Math.Max(1, g.Sum(f => f.Calls)), g.Max(f => f.MaxMs)))
            .OrderByDescending(f => f.MaxMs).Take(ListedConfigs).ToList();
        var pools = reports.Where(r => r.Pools.Count > 0).Select(r => new HostPools(r.Host, r.Pools)).ToList();
        var waiting = (await tasks.CountWaitingAsync()).Select(w => new WaitingTasks(w.Lane, w.Queued, w.Running)).ToList();
        // Operation records are for administrators: a member's overview lists none.
        IReadOnlyList<OperationRecord> recent = http.User.IsInRole(nameof(UserRole.Admin))
            ? (await operations.ListAsync(new OperationRecordFilter(), new PageRequest(1, 10))).Items
            : [];
        return Envelopes.Ok(new Overview(await CountAsync(grains), calls, slowest, pools, waiting, await CronOutlookAsync(grains, tasks, http.RequestAborted), recent,
            await DatabaseConnections.ReadAsync(database, http.RequestAborted)));
    }

    private static async Task<EntityCounts> CountAsync(IGrainFactory grains)
    {
        var one = new PageRequest(1, 1);
        var scripts = await grains.GetGrain<IScriptDirectoryGrain>(IScriptDirectoryGrain.Key).ListAsync(null, one);
        var funcs = await grains.GetGrain<IFuncDirectoryGrain>(IFuncDirectoryGrain.Key).ListAsync(new FuncFilter(IncludeHidden: true), one);
        var users = await grains.GetGrain<IUserDirectoryGrain>(IUserDirectoryGrain.Key).ListUserIdsAsync();
        return new EntityCounts(
            (await grains.DirectoryOf<ScriptSetInfo>().ListAsync(one)).TotalCount, scripts.TotalCount, funcs.TotalCount,
            (await grains.DirectoryOf<AuthLinkInfo>().ListAsync(one)).TotalCount,
            (await grains.DirectoryOf<CrontabConfigInfo>().ListAsync(one)).TotalCount,
            (await grains.DirectoryOf<BatchInfo>().ListAsync(one)).TotalCount,
            (await grains.DirectoryOf<EnvVarInfo>().ListAsync(one)).TotalCount,
            users.Count);
    }

    /// <summary>
    /// The next day's firings of every active config. The schedules are asked all at once, and each distinct schedule
    /// is counted once: 10,000 configs of <c>* * * * *</c> are one count of 1,440, not 10,000.
    /// </summary>
    private static async Task<CronOutlook> CronOutlookAsync(IGrainFactory grains, TaskRecordStore tasks, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var configs = await LibrarySnapshot.ListAllAsync(page => grains.DirectoryOf<CrontabConfigInfo>().ListAsync(page));
        var active = configs.Where(c => !c.IsDisabled && (c.ExpireTime is null || c.ExpireTime > now)).ToList();
        var schedules = await Task.WhenAll(active.Select(c => grains.GetGrain<ICrontabGrain>(c.Id).GetScheduleAsync()));
        var counts = new Dictionary<(string Crontab, string? TimeZone, DateTimeOffset Until), int>();
        var outlooks = new List<CrontabOutlook>(active.Count);
        foreach (var (config, schedule) in active.Zip(schedules))
        {
            var until = config.ExpireTime is { } expiry && expiry < now.AddDays(1) ? expiry : now.AddDays(1);
            var key = (schedule.EffectiveCrontab, config.TimeZone, until);
            if (!counts.TryGetValue(key, out var firings))
            {
                firings = counts[key] = CrontabExpressions.Parse(schedule.EffectiveCrontab)
                    .GetOccurrences(now, until, CrontabExpressions.ResolveTimeZone(config.TimeZone), fromInclusive: false, toInclusive: false)
                    .Count();
            }
            outlooks.Add(new CrontabOutlook(config.Id, config.FuncId, schedule.EffectiveCrontab, firings, schedule.NextRunTime));
        }
        var lastHour = await tasks.ListSinceAsync(OrleansFunc.Engine.TaskOrigin.Crontab, now.AddHours(-1), ListedFirings, cancellationToken);
        return new CronOutlook(outlooks.Sum(o => o.Firings),
            outlooks.OrderByDescending(o => o.Firings).ThenBy(o => o.Id, StringComparer.Ordinal).Take(ListedConfigs).ToList(),
            lastHour.Select(r => new RecentFiring(r.Id, r.OriginId, r.FuncId, r.TriggerTime, r.Status)).ToList());
    }
}
