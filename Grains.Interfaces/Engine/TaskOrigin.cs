using System.Text.Json.Serialization;
using OrleansFunc.Common;

namespace OrleansFunc.Engine;

/// <summary>
/// Where a run came from: the origin of its task record, the overview's call counts and the
/// script's <c>_DFF_ORIGIN</c>, by the names DataFlux Func uses. What each origin allows is in <see cref="TaskOrigins"/>.
/// A task queued by <c>DFF.FUNC</c> keeps the origin of the run that queued it.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaskOrigin>))]
public enum TaskOrigin
{
    /// <summary>The func API of a signed-in user (<c>/api/v1/func/{id}</c>).</summary>
    [JsonStringEnumMemberName("direct")] Direct,

    [JsonStringEnumMemberName("authLink")] AuthLink,

    [JsonStringEnumMemberName("batch")] Batch,

    [JsonStringEnumMemberName("crontab")] Crontab,

    /// <summary>A message of a subscribed data source (MQTT).</summary>
    [JsonStringEnumMemberName("dataSource")] DataSource,

    /// <summary>The editor: draft runs and publish checks.</summary>
    [JsonStringEnumMemberName("debug")] Debug,

    /// <summary>A func of <c>DFF.API(integration='autoRun')</c>, run after its publish or when a silo starts (1.x).</summary>
    [JsonStringEnumMemberName("integration")] Integration,

    /// <summary>The func of an API authentication method, deciding whether a call of a link or batch may pass.</summary>
    [JsonStringEnumMemberName("apiAuth")] ApiAuth,

    /// <summary>An error handler called with the record of a queued run that failed its last attempt; its origin ID is that task's.</summary>
    [JsonStringEnumMemberName("errorHandler")] ErrorHandler,
}

/// <summary>1.x's <c>execMode</c> of a run that is not a crontab firing (<see cref="CrontabFiring"/> names those).</summary>
public static class ExecModes
{
    /// <summary>The caller waits for the run.</summary>
    public const string Sync = "sync";

    /// <summary>A queued run: the caller has its task ID.</summary>
    public const string Async = "async";
}

/// <summary>What the calls of one origin are.</summary>
/// <param name="Lane">The lane its own calls run on (tasks it queues with <c>DFF.FUNC</c> run on the batch lane).</param>
/// <param name="ExecMode">The 1.x <c>execMode</c> of its calls: <c>sync</c> (the caller waits) or <c>async</c>.</param>
/// <param name="CallerOptions">The DataFlux Func call options its callers may set; any other is refused.</param>
/// <param name="SampledRecords">
/// Whether its runs that wait for no task record get one only when they fail or are sampled (SPEC M10);
/// queued runs always have theirs, editor runs never.
/// </param>
public sealed record TaskOriginInfo(Lane Lane, string ExecMode, IReadOnlyList<string> CallerOptions, bool SampledRecords);

public static class TaskOrigins
{
    private static readonly Dictionary<TaskOrigin, TaskOriginInfo> Table = new()
    {
        [TaskOrigin.Direct] = new(Lane.Sync, ExecModes.Sync, ["timeout", "apiTimeout", "execMode", "returnType"], SampledRecords: true),
        [TaskOrigin.AuthLink] = new(Lane.Sync, ExecModes.Sync, ["timeout", "apiTimeout", "execMode", "returnType", "unbox", "unfold"], SampledRecords: true),
        [TaskOrigin.Batch] = new(Lane.Batch, ExecModes.Async, ["timeout", "execMode", "saveResult", "eta", "delay"], SampledRecords: false),
        [TaskOrigin.Crontab] = new(Lane.Cron, ExecModes.Async, [], SampledRecords: false),
        [TaskOrigin.DataSource] = new(Lane.Sync, ExecModes.Sync, [], SampledRecords: true),
        [TaskOrigin.Debug] = new(Lane.Debug, ExecModes.Sync, [], SampledRecords: false),
        [TaskOrigin.Integration] = new(Lane.Batch, ExecModes.Async, [], SampledRecords: false),
        [TaskOrigin.ApiAuth] = new(Lane.Sync, ExecModes.Sync, [], SampledRecords: true),
        [TaskOrigin.ErrorHandler] = new(Lane.Batch, ExecModes.Async, [], SampledRecords: false),
    };

    public static TaskOriginInfo Describe(this TaskOrigin origin) => Table[origin];

    /// <summary>The origin's name in task records, the API and scripts.</summary>
    public static string WireName(this TaskOrigin origin) => WireNames<TaskOrigin>.Of(origin);
}
