using System.Text.Json;
using OrleansFunc.Errors;

namespace OrleansFunc.WebFront.Http;

/// <summary>
/// The <c>expireTime</c> of a request body: an ISO 8601 time; <c>null</c> removes the expiry on
/// update, and leaving it out keeps it.
/// </summary>
public static class ExpireTimeField
{
    public static (DateTimeOffset? Value, bool Clear) Read(JsonElement expireTime) => expireTime.ValueKind switch
    {
        JsonValueKind.Undefined => (null, false),
        JsonValueKind.Null => (null, true),
        JsonValueKind.String when DateTimeOffset.TryParse(expireTime.GetString(), out var parsed) => (parsed, false),
        _ => throw DffException.BadRequest("InvalidExpireTime", "'expireTime' must be an ISO 8601 time or null", new { field = "expireTime" }),
    };
}
