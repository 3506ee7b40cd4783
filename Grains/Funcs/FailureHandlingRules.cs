using OrleansFunc.Engine;

namespace OrleansFunc.Funcs;

/// <summary>
/// The retries and error handler of batches and crontab configs, as their changes give them: a cleared retry policy
/// goes back to the func's, a retry count of 0 asks for none, an empty handler removes it, null keeps either.
/// </summary>
public static class FailureHandlingRules
{
    /// <summary>400.43 for a retry policy out of its ranges, 404.41 for a handler that is not a published func.</summary>
    public static async Task RequireValidAsync(IGrainFactory grains, RetryPolicy? retry, string? errorHandlerFuncId)
    {
        retry?.RequireValid();
        if (!string.IsNullOrEmpty(errorHandlerFuncId))
        {
            await CallRules.RequireFuncExistsAsync(grains, errorHandlerFuncId, "errorHandlerFuncId");
        }
    }

    public static RetryPolicy? RetryAfter(RetryPolicy? given, bool clear, RetryPolicy? current) => clear ? null : given ?? current;

    public static string? HandlerAfter(string? given, string? current) => given is null ? current : given.Length == 0 ? null : given;
}
