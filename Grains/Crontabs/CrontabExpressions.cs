using Cronos;
using OrleansFunc.Errors;

namespace OrleansFunc.Crontabs;

/// <summary>Reading crontab expressions (5 fields, minute precision, as in DataFlux Func) and time zones.</summary>
public static class CrontabExpressions
{
    /// <summary>The parsed expression; 400.43 naming <paramref name="field"/> when it is not a 5-field crontab that ever fires.</summary>
    public static CronExpression Parse(string? expression, string field = "crontab")
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            throw DffException.BadRequest("MissingCrontab", $"'{field}' is required", new { field });
        }
        var parts = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 5)
        {
            throw Invalid(field, expression, "a crontab has 5 fields: minute, hour, day of month, month, day of week");
        }
        CronExpression parsed;
        try
        {
            parsed = CronExpression.Parse(string.Join(' ', parts), CronFormat.Standard);
        }
        catch (CronFormatException bad)
        {
            throw Invalid(field, expression, bad.Message);
        }
        // "0 0 30 2 *" parses but names no day that exists.
        if (parsed.GetNextOccurrence(DateTime.UtcNow) is null)
        {
            throw Invalid(field, expression, "it never fires");
        }
        return parsed;
    }

    /// <summary>The named IANA zone, or the server's when <paramref name="name"/> is empty; 400.43 for an unknown name.</summary>
    public static TimeZoneInfo ResolveTimeZone(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return TimeZoneInfo.Local;
        }
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception unknown) when (unknown is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw DffException.BadRequest("InvalidTimeZone", $"Unknown time zone: '{name}' (use an IANA name such as 'Asia/Shanghai')",
                new { field = "timezone", value = name });
        }
    }

    private static DffException Invalid(string field, string expression, string why) =>
        DffException.BadRequest("InvalidCrontab", $"Invalid crontab '{expression}': {why}", new { field, value = expression });
}
