using System.Text.Json;
using OrleansFunc.Common;
using OrleansFunc.Engine;

namespace OrleansFunc.Records;

/// <summary>
/// A task as the API shows it, and as an error handler gets it (<c>task=</c>): result and error as JSON, print lines
/// as a list.
/// </summary>
/// <param name="FirstTaskId">For a retry or an error handler's call, the task of the first attempt; null for a first attempt.</param>
/// <param name="Attempt">1 for a first attempt, then each retry's number.</param>
/// <param name="RunAfter">Not started before this time (a delayed crontab run, a retry's backoff); null = as soon as a worker is free.</param>
public sealed record TaskView(
    string Id, string Status, TaskOrigin Origin, string OriginId, string FuncId, JsonElement Kwargs, DateTimeOffset TriggerTime,
    DateTimeOffset? StartTime, DateTimeOffset? EndTime, double? Cost, IReadOnlyList<string> PrintLogs, JsonElement? Result,
    JsonElement? Error, string? FirstTaskId, int Attempt, DateTimeOffset? RunAfter)
{
    public static TaskView Of(TaskRecord t) => new(t.Id, t.Status, WireNames<TaskOrigin>.Parse(t.Origin), t.OriginId, t.FuncId, Json(t.KwargsJson)!.Value,
        t.TriggerTime, t.StartTime, t.EndTime, t.Cost, string.IsNullOrEmpty(t.PrintLogs) ? [] : t.PrintLogs.Split('\n'),
        Json(t.ResultJson), Json(t.ErrorJson), t.FirstTaskId, t.Attempt, t.RunAfter);

    private static JsonElement? Json(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}
