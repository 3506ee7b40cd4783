namespace OrleansFunc.Engine;

/// <summary>
/// What a run knows of why it runs: the values its script sees as <c>_DFF_*</c> variables, and
/// only those (the worker protocol names each one: <c>WorkerMessages.Context</c>).
/// </summary>
/// <param name="OriginId">The ID of the link, batch, crontab config, data source or script it came from.</param>
[GenerateSerializer, Immutable, Alias("of.RunContext")]
public sealed record RunContext([property: Id(0)] TaskOrigin Origin, [property: Id(1)] string OriginId)
{
    /// <summary>Its task; set for every run but the publish check (a synchronous call gets one made up).</summary>
    [Id(2)] public string? TaskId { get; init; }

    /// <summary>The func it runs, as <c>set__script.func</c>.</summary>
    [Id(3)] public string? FuncId { get; init; }

    [Id(4)] public string? FuncName { get; init; }

    /// <summary>The funcs whose <c>DFF.FUNC</c> calls led to this run, the first first.</summary>
    [Id(5)] public IReadOnlyList<string> FuncChain { get; init; } = [];

    /// <summary>When the run was asked for (a crontab firing's minute); null = when it starts.</summary>
    [Id(6)] public DateTimeOffset? TriggerTime { get; init; }

    /// <summary>The HTTP request that started the run (an auth link, batch, direct or editor call), as the JSON the script gets as <c>_DFF_HTTP_REQUEST</c>.</summary>
    [Id(7)] public string? HttpRequestJson { get; init; }

    [Id(8)] public CrontabFiring? Crontab { get; init; }

    /// <summary>The silo that runs it (its endpoint, <c>_DFF_SILO</c>); stamped by that silo.</summary>
    [Id(9)] public string? Silo { get; init; }

    /// <summary>Which attempt of a queued run this is (1 = the first; retries count on, <c>_DFF_TASK_ATTEMPT</c>); null for other runs.</summary>
    [Id(10)] public int? Attempt { get; init; }

    /// <summary>
    /// <c>_DFF_ROOT_TASK_ID</c>: for a run queued by <c>DFF.FUNC</c>, the task of the run that called it (1.x's
    /// <c>rootTaskId</c>); null = "ROOT" (an editor run's is its own task, as 1.x's debugger made it).
    /// </summary>
    [Id(11)] public string? RootTaskId { get; init; }

    /// <summary>
    /// <c>_DFF_EXEC_MODE</c> of a run that is not a crontab firing: <c>async</c> for queued runs, a <c>DFF.FUNC</c>
    /// child's its caller's (1.x passed it on); null = <c>sync</c>. A crontab firing's is its own.
    /// </summary>
    [Id(12)] public string? ExecMode { get; init; }

    /// <summary>Editor runs and publish checks (<c>_DFF_DEBUG</c>).</summary>
    public bool Debug => Origin == TaskOrigin.Debug;

    /// <summary>The context of a publish check: a debug run of no func and no task.</summary>
    public static RunContext Check(string scriptId) => new(TaskOrigin.Debug, scriptId);
}

/// <summary>Why a crontab config's func runs.</summary>
/// <param name="ExecMode"><see cref="Scheduled"/> or <see cref="Manual"/>.</param>
/// <param name="Expression">The config's crontab expression.</param>
/// <param name="DelaySeconds">The config's delay after the minute.</param>
[GenerateSerializer, Immutable, Alias("of.CrontabFiring")]
public sealed record CrontabFiring([property: Id(0)] string ExecMode, [property: Id(1)] string Expression, [property: Id(2)] int DelaySeconds)
{
    /// <summary>A firing of the schedule.</summary>
    public const string Scheduled = "crontab";

    /// <summary>"Run now" in the console or the API.</summary>
    public const string Manual = "manual";

    /// <summary>The one run at start-up for minutes missed while the cluster was down (<c>missedRuns: runOnce</c>).</summary>
    public const string CatchUp = "catchUp";
}
