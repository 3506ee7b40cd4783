using OrleansFunc.Errors;

namespace OrleansFunc.WebFront.Http;

/// <summary>
/// The API's path segments (the IDs of scripts, links, batches, users, ...) are bounded before any
/// route runs: each ID keys a grain, and a grain made for a megabyte-long ID would hold it for as long
/// as it lives.
/// </summary>
public static class RouteIdLimits
{
    /// <summary>Longer than any ID the platform makes or accepts.</summary>
    public const int MaxSegmentLength = 256;

    /// <summary>The bound on JSON bodies of the API (the public call routes and package imports have their own).</summary>
    public const long MaxJsonBodyBytes = 8L * 1024 * 1024;

    public static async Task RefuseLongIdsAsync(HttpContext http, Func<Task> next)
    {
        if (http.Request.Path.StartsWithSegments("/api") && LongestSegment(http.Request.Path.Value!) > MaxSegmentLength)
        {
            throw DffException.BadRequest("IdTooLong", $"An ID in the path is longer than {MaxSegmentLength} characters",
                new { maxLength = MaxSegmentLength });
        }
        await next();
    }

    private static int LongestSegment(ReadOnlySpan<char> path)
    {
        var longest = 0;
        foreach (var segment in path.Split('/'))
        {
            longest = Math.Max(longest, segment.GetOffsetAndLength(path.Length).Length);
        }
        return longest;
    }
}
