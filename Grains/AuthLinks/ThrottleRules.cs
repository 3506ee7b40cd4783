using OrleansFunc.Errors;

namespace OrleansFunc.AuthLinks;

/// <summary>What a link's <see cref="Throttling"/> means: its rules and their windows, and which values it may have.</summary>
public static class ThrottleRules
{
    /// <summary>Each configured rule with its window length (a month is 30 days, a year 365, as in DataFlux Func).</summary>
    public static IEnumerable<(string Rule, int Limit, long WindowSeconds)> Rules(this Throttling throttling)
    {
        (string, int?, long)[] all =
        [
            ("bySecond", throttling.BySecond, 1), ("byMinute", throttling.ByMinute, 60), ("byHour", throttling.ByHour, 3600),
            ("byDay", throttling.ByDay, 86_400), ("byMonth", throttling.ByMonth, 30 * 86_400), ("byYear", throttling.ByYear, 365 * 86_400),
        ];
        return all.Where(r => r.Item2 is not null).Select(r => (r.Item1, r.Item2!.Value, r.Item3));
    }

    /// <summary>400.43 <c>InvalidThrottling</c> naming the first rule that is not a positive integer.</summary>
    public static void RequireValid(Throttling? throttling)
    {
        foreach (var (rule, limit, _) in throttling?.Rules() ?? [])
        {
            if (limit < 1)
            {
                throw DffException.BadRequest("InvalidThrottling", $"'throttling.{rule}' must be a positive integer",
                    new { field = $"throttling.{rule}" });
            }
        }
    }
}
