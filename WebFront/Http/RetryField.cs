using System.Text.Json;
using OrleansFunc.Engine;

namespace OrleansFunc.WebFront.Http;

/// <summary>
/// The <c>retry</c> field of a batch or crontab config: absent keeps it, <c>null</c> goes back to the func's own
/// <c>retry</c> option, a count of 0 asks for no retries whatever the func says, else a count or
/// <c>{count, delay, factor, maxDelay}</c>.
/// </summary>
public static class RetryField
{
    public static (RetryPolicy? Value, bool Clear) Read(JsonElement retry) => retry.ValueKind switch
    {
        JsonValueKind.Undefined => (null, false),
        JsonValueKind.Null => (null, true),
        _ => (RetryPolicy.ReadValid(retry), false),
    };
}
