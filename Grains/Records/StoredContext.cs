using System.Globalization;
using System.Text.Json;
using OrleansFunc.Engine;

namespace OrleansFunc.Records;

/// <summary>
/// The <c>context</c> column of a queued task: what its run knows beyond the task's own columns,
/// today a crontab firing. Its keys are the ones the column always had (the crontab firing query
/// of <see cref="TaskRecordStore"/> reads <c>execMode</c> and <c>crontabDelay</c>), so tasks queued
/// by an earlier version run the same.
/// </summary>
public static class StoredContext
{
    private const string ExecMode = "execMode";
    private const string Expression = "crontab";
    private const string Delay = "crontabDelay";

    public static string Write(CrontabFiring? firing) => firing is null
        ? "{}"
        : JsonSerializer.Serialize(new Dictionary<string, string>
        {
            [ExecMode] = firing.ExecMode,
            [Expression] = firing.Expression,
            [Delay] = firing.DelaySeconds.ToString(CultureInfo.InvariantCulture),
        });

    public static CrontabFiring? ReadCrontab(string json)
    {
        var values = JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
        return values.TryGetValue(ExecMode, out var mode) && values.TryGetValue(Expression, out var expression)
            ? new CrontabFiring(mode, expression, int.TryParse(values.GetValueOrDefault(Delay), CultureInfo.InvariantCulture, out var delay) ? delay : 0)
            : null;
    }
}
