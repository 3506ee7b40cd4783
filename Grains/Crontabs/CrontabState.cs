using OrleansFunc.Common;

namespace OrleansFunc.Crontabs;

/// <summary>Stored state of a crontab config grain.</summary>
[GenerateSerializer, Alias("of.CrontabState")]
public sealed record CrontabState : IEntityState
{
    [Id(0)] public bool Exists { get; init; }
    [Id(1)] public string FuncId { get; init; } = "";
    [Id(2)] public string FuncCallKwargsJson { get; init; } = "{}";
    [Id(3)] public string Crontab { get; init; } = "";
    [Id(4)] public string? TimeZone { get; init; }
    [Id(5)] public DateTimeOffset? ExpireTime { get; init; }
    [Id(6)] public bool IsDisabled { get; init; }
    [Id(7)] public int? TaskRecordLimit { get; init; }
    [Id(8)] public string Note { get; init; } = "";
    [Id(9)] public DateTimeOffset CreateTime { get; init; }
    [Id(10)] public DateTimeOffset UpdateTime { get; init; }
    [Id(11)] public DateTimeOffset? PausedUntil { get; init; }
    [Id(12)] public MissedRuns MissedRuns { get; init; }
    [Id(13)] public Engine.RetryPolicy? Retry { get; init; }
    [Id(14)] public string? ErrorHandlerFuncId { get; init; }
}
