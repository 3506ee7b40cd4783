using System.Text.Json;
using OrleansFunc.Errors;

namespace OrleansFunc.WebFront.Http;

/// <summary>
/// A time field of a request body that can be removed (<c>expireTime</c>, <c>pausedUntil</c>): an ISO 8601 time;
/// <c>null</c> removes it on update, and leaving it out keeps it.
/// </summary>
public static class ExpireTimeField
{
    public static (DateTimeOffset? Value, bool Clear) Read(JsonElement time, string field = "expireTime") => time.ValueKind switch
    {
        JsonValueKind.Undefined => (null, false),
        JsonValueKind.Null => (null, true),
        JsonValueKind.String when DateTimeOffset.TryParse(time.GetString(), out var parsed) => (parsed, false),
        _ => throw DffException.BadRequest("InvalidExpireTime", $"'{field}' must be an ISO 8601 time or null", new { field }),
    };
}
