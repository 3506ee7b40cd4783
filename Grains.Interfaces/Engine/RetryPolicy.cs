using System.Globalization;
using System.Text.Json;
using OrleansFunc.Errors;

namespace OrleansFunc.Engine;

/// <summary>
/// How a queued run that failed or timed out is tried again: up to <see cref="Count"/> more attempts, the first
/// <see cref="Delay"/> seconds after the failure, each next one <see cref="Factor"/> times later, never more than
/// <see cref="MaxDelay"/> seconds. Set on a batch, a crontab config or a func (<c>DFF.API(retry=…)</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("of.RetryPolicy")]
public sealed record RetryPolicy(
    [property: Id(0)] int Count, [property: Id(1)] double Delay = 1, [property: Id(2)] double Factor = 2, [property: Id(3)] double MaxDelay = 300)
{
    /// <summary>The range of each field, by its name in the API and in <c>DFF.API(retry={…})</c> (mirrored by <c>dff_protocol.RETRY_LIMITS</c>).</summary>
    public static readonly IReadOnlyDictionary<string, (double Least, double Most)> Limits = new Dictionary<string, (double, double)>
    {
        ["count"] = (0, 10),
        ["delay"] = (0, 86400),
        ["factor"] = (1, 10),
        ["maxDelay"] = (0, 86400),
    };

    /// <summary>Whether a run that ended as attempt <paramref name="attempt"/> (1 = the first) is tried again.</summary>
    public bool Allows(int attempt) => attempt <= Count;

    /// <summary>How long after the failure of attempt <paramref name="failedAttempt"/> the next one starts.</summary>
    public TimeSpan DelayAfter(int failedAttempt) =>
        TimeSpan.FromSeconds(Math.Min(MaxDelay, Delay * Math.Pow(Factor, Math.Max(0, failedAttempt - 1))));

    /// <summary>A func's policy of no retries is none.</summary>
    public RetryPolicy? OrNone() => Count == 0 ? null : this;

    /// <summary>400.43 <c>InvalidRetry</c> naming <paramref name="field"/> unless every value is in its range and the cap is not below the first delay.</summary>
    public void RequireValid(string field = "retry")
    {
        foreach (var (name, value) in Values())
        {
            var (least, most) = Limits[name];
            if (!(value >= least && value <= most))
            {
                throw Invalid(field, $"'{field}.{name}' must be between {least.ToString(CultureInfo.InvariantCulture)} and {most.ToString(CultureInfo.InvariantCulture)}");
            }
        }
        if (MaxDelay < Delay)
        {
            throw Invalid(field, $"'{field}.maxDelay' must not be below '{field}.delay'");
        }
    }

    private IEnumerable<(string Name, double Value)> Values() =>
        [("count", Count), ("delay", Delay), ("factor", Factor), ("maxDelay", MaxDelay)];

    /// <summary>The <c>retry</c> option of a func as the publish check wrote it (see <see cref="Read"/>); null when absent or none.</summary>
    public static RetryPolicy? FromOption(JsonElement options) =>
        options.TryGetProperty("retry", out var retry) ? Read(retry)?.OrNone() : null;

    /// <summary>
    /// A policy as the API and <c>DFF.API</c> take it: a count (<c>3</c>) or an object of the fields above with a count
    /// (those not given take their defaults; without a cap, the cap is at least the first delay); null for anything else.
    /// </summary>
    public static RetryPolicy? Read(JsonElement retry)
    {
        if (retry.ValueKind == JsonValueKind.Number)
        {
            return retry.TryGetInt32(out var count) ? new RetryPolicy(count) : null;
        }
        if (retry.ValueKind != JsonValueKind.Object || !retry.TryGetProperty("count", out var counted) || !counted.TryGetInt32(out var times)
            || retry.EnumerateObject().Any(field => !Limits.ContainsKey(field.Name) || field.Value.ValueKind != JsonValueKind.Number))
        {
            return null;
        }
        double Field(string name, double fallback) => retry.TryGetProperty(name, out var v) ? v.GetDouble() : fallback;
        var defaults = new RetryPolicy(times);
        var delay = Field("delay", defaults.Delay);
        return new RetryPolicy(times, delay, Field("factor", defaults.Factor), Field("maxDelay", Math.Max(defaults.MaxDelay, delay)));
    }

    /// <summary>A policy given to the API (a count of 0 asks for none): 400.43 <c>InvalidRetry</c> unless readable and valid.</summary>
    public static RetryPolicy ReadValid(JsonElement retry, string field = "retry")
    {
        var policy = Read(retry) ?? throw Invalid(field, $"'{field}' must be a count or an object of count, delay, factor and maxDelay");
        policy.RequireValid(field);
        return policy;
    }

    private static DffException Invalid(string field, string message) => DffException.BadRequest("InvalidRetry", message, new { field });
}

/// <summary>
/// What a batch or crontab config asks for when one of its runs fails: retries, and the func called with the failed
/// task's record after the last attempt (<see cref="ErrorHandlerFuncId"/>; the installation's handler when null).
/// </summary>
[GenerateSerializer, Immutable, Alias("of.FailureHandling")]
public sealed record FailureHandling([property: Id(0)] RetryPolicy? Retry, [property: Id(1)] string? ErrorHandlerFuncId)
{
    public bool IsEmpty => Retry is null && ErrorHandlerFuncId is null;

    /// <summary>Null when it asks for nothing, so entries without it carry nothing.</summary>
    public static FailureHandling? Of(RetryPolicy? retry, string? errorHandlerFuncId) =>
        retry is null && errorHandlerFuncId is null ? null : new FailureHandling(retry, errorHandlerFuncId);
}
