using System.Text.Json;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;

namespace OrleansFunc.Crontabs;

/// <summary>The fields a crontab config may have (its expression is checked by <see cref="CrontabExpressions"/>).</summary>
public static class CrontabConfigRules
{
    /// <summary>400.43 for a kwargs template with caller placeholders (a crontab config has no caller), an unknown time zone, a record limit out of range.</summary>
    public static void RequireValid(CrontabConfigFields fields, int maxTaskRecords)
    {
        CallRules.RequireValidTemplate(fields.Note, fields.FuncCallKwargsJson);
        if (fields.FuncCallKwargsJson is { } kwargs)
        {
            using var parsed = JsonDocument.Parse(kwargs);
            foreach (var field in parsed.RootElement.EnumerateObject())
            {
                if (field.Value.ValueKind == JsonValueKind.String && CallRules.Placeholders.Contains(field.Value.GetString()))
                {
                    throw DffException.BadRequest("PlaceholderInCrontab",
                        $"A crontab config has no caller: '{field.Name}' needs a value, not '{field.Value.GetString()}'",
                        new { field = "funcCallKwargs", kwargsField = field.Name });
                }
            }
        }
        if (fields.TimeZone is { Length: > 0 } zone)
        {
            CrontabExpressions.ResolveTimeZone(zone);
        }
        CallRules.RequireValidTaskRecordLimit(fields.TaskRecordLimit, maxTaskRecords);
    }
}
