using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;

namespace OrleansFunc.AuthLinks;

/// <summary>What a link's <see cref="Throttling"/> means: its rules and their windows, and which values it may have.</summary>
public static partial class ThrottleRules
{
    /// <summary>Callers told apart by their address.</summary>
    public const string ByAddress = "ip";

    /// <summary>Callers told apart by a header's value: <c>header:</c> and the header's name.</summary>
    public const string ByHeaderPrefix = "header:";

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial Regex HeaderNamePattern();

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

    /// <summary>Whether the link counts its calls at all: a limit of its own or per caller.</summary>
    public static bool CountsCalls(Throttling throttling) => throttling.PerCaller is not null || throttling.Rules().Any();

    /// <summary>Each configured rule of a caller's limits, with its window length.</summary>
    public static IEnumerable<(string Rule, int Limit, long WindowSeconds)> Rules(this CallerThrottling throttling) =>
        new Throttling(throttling.BySecond, throttling.ByMinute, throttling.ByHour, throttling.ByDay).Rules();

    /// <summary>The header callers are told apart by, or null (by address).</summary>
    public static string? HeaderOf(this CallerThrottling throttling) =>
        throttling.By.StartsWith(ByHeaderPrefix, StringComparison.Ordinal) ? throttling.By[ByHeaderPrefix.Length..] : null;

    /// <summary>
    /// The caller's key in the counters: its address, or a digest of the header's value (an API key is never kept as it
    /// is); callers without the header share one key.
    /// </summary>
    public static string CallerKey(this CallerThrottling throttling, CallerIdentity? caller)
    {
        if (throttling.HeaderOf() is null)
        {
            return string.IsNullOrEmpty(caller?.Address) ? "(unknown)" : caller.Address;
        }
        return string.IsNullOrEmpty(caller?.HeaderValue) ? "(none)"
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(caller.HeaderValue)))[..32];
    }

    /// <summary>400.43 <c>InvalidThrottling</c> naming the first rule that is not a positive integer, or a per-caller setting that makes no sense.</summary>
    public static void RequireValid(Throttling? throttling)
    {
        foreach (var (rule, limit, _) in throttling?.Rules() ?? [])
        {
            if (limit < 1)
            {
                throw Invalid($"throttling.{rule}", "must be a positive integer");
            }
        }
        if (throttling?.PerCaller is not { } perCaller)
        {
            return;
        }
        if (perCaller.By != ByAddress && !(perCaller.HeaderOf() is { } header && HeaderNamePattern().IsMatch(header)))
        {
            throw Invalid("throttling.perCaller.by", $"must be '{ByAddress}' or '{ByHeaderPrefix}' and a header name (letters, digits, '-')");
        }
        if (!perCaller.Rules().Any())
        {
            throw Invalid("throttling.perCaller", "needs at least one of bySecond, byMinute, byHour, byDay");
        }
        foreach (var (rule, limit, _) in perCaller.Rules())
        {
            if (limit < 1)
            {
                throw Invalid($"throttling.perCaller.{rule}", "must be a positive integer");
            }
        }
    }

    private static DffException Invalid(string field, string problem) =>
        DffException.BadRequest("InvalidThrottling", $"'{field}' {problem}", new { field });
}
