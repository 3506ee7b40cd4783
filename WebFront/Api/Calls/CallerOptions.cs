using System.Globalization;
using System.Text.Json;
using OrleansFunc.Engine;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;

namespace OrleansFunc.WebFront.Api.Calls;

/// <summary>
/// The options a caller set, after the whitelist: the run's time limit, and how the answer is
/// rendered (synchronous calls) or when the run may start (batches).
/// </summary>
/// <param name="Unbox">Auth links: false answers in the envelope (<c>data.result</c>) instead of the raw value.</param>
/// <param name="JsonDumps"><c>returnType: "jsonDumps"</c>: the result is answered as its JSON text (a string).</param>
/// <param name="RunAfter">Batches: <c>eta</c> / <c>delay</c>, the run does not start before this time.</param>
public sealed record CallerOptions(FuncCallOptions Run, bool Unbox = true, bool JsonDumps = false, DateTimeOffset? RunAfter = null)
{
    public static readonly CallerOptions None = new(new FuncCallOptions(null));

    public const int MaxTimeoutSeconds = 3600;
    public const int MaxApiTimeoutSeconds = 180;
    public const int MaxDelaySeconds = 7 * 24 * 3600;

    /// <summary>
    /// Reads an <c>options</c> object of a call of <paramref name="origin"/> (the options it takes are in
    /// <see cref="TaskOrigins"/>); an option the call does not take, or a bad value, is a 400.43 naming it.
    /// </summary>
    public static CallerOptions Read(JsonElement options, TaskOrigin origin, DateTimeOffset now)
    {
        var calls = origin.Describe();
        int? timeout = null, apiTimeout = null, delay = null;
        bool unbox = true, jsonDumps = false;
        DateTimeOffset? eta = null;
        foreach (var option in options.EnumerateObject())
        {
            if (!calls.CallerOptions.Contains(option.Name))
            {
                throw DffException.BadRequest("InvalidOptions", $"Option '{option.Name}' cannot be set by a caller of this call",
                    new { option = option.Name, allowed = calls.CallerOptions });
            }
            switch (option.Name)
            {
                case "timeout":
                    timeout = Integer(option, 1, MaxTimeoutSeconds);
                    break;
                case "apiTimeout":
                    apiTimeout = Integer(option, 1, MaxApiTimeoutSeconds);
                    break;
                case "execMode":
                    var mode = calls.ExecMode;
                    if (option.Value.ValueKind != JsonValueKind.String || option.Value.GetString() != mode)
                    {
                        throw Invalid(option, $"must be \"{mode}\" for this call");
                    }
                    break;
                case "returnType":
                    jsonDumps = option.Value.ValueKind == JsonValueKind.String ? option.Value.GetString() switch
                    {
                        "raw" => false,
                        "jsonDumps" => true,
                        _ => throw Invalid(option, "must be \"raw\" or \"jsonDumps\""),
                    } : throw Invalid(option, "must be \"raw\" or \"jsonDumps\"");
                    break;
                case "unbox" or "unfold":
                    unbox = Boolean(option);
                    break;
                case "saveResult":
                    // Accepted for 1.x callers: the result of every batch call is kept for func-result.
                    Boolean(option);
                    break;
                case "eta":
                    eta = option.Value.ValueKind == JsonValueKind.String &&
                          DateTimeOffset.TryParse(option.Value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                        ? at
                        : throw Invalid(option, "must be an ISO 8601 time");
                    break;
                case "delay":
                    delay = Integer(option, 0, MaxDelaySeconds);
                    break;
            }
        }
        // apiTimeout (1.x) is how long a synchronous caller waits: the run is stopped by then.
        var limit = apiTimeout is { } wait ? Math.Min(timeout ?? wait, wait) : timeout;
        DateTimeOffset? runAfter = delay is null && eta is null
            ? null
            : new[] { eta ?? now, now.AddSeconds(delay ?? 0) }.Max();
        return new CallerOptions(new FuncCallOptions(limit), unbox, jsonDumps, runAfter);
    }

    private static int Integer(JsonProperty option, int min, int max) =>
        option.Value.ValueKind == JsonValueKind.Number && option.Value.TryGetInt32(out var value) && value >= min && value <= max
            ? value
            : throw Invalid(option, $"must be an integer from {min} to {max}");

    private static bool Boolean(JsonProperty option) => option.Value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Invalid(option, "must be true or false"),
    };

    private static DffException Invalid(JsonProperty option, string rule) =>
        DffException.BadRequest("InvalidOptions", $"'options.{option.Name}' {rule}", new { option = option.Name });
}
