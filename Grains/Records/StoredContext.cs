using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFunc.Engine;

namespace OrleansFunc.Records;

/// <summary>
/// The <c>context</c> column of a queued task: what its run knows beyond the task's own columns (a crontab firing, the
/// request that queued it until the task ends),
/// and what its failure asks for (retries, an error handler). The crontab keys are the ones the column always had (the
/// crontab firing query of <see cref="TaskRecordStore"/> reads <c>execMode</c> and <c>crontabDelay</c>), so tasks
/// queued by an earlier version run the same.
/// </summary>
public static class StoredContext
{
    private const string ExecMode = "execMode";
    private const string Expression = "crontab";
    private const string Delay = "crontabDelay";
    private const string Retry = "retry";
    private const string ErrorHandler = "errorHandler";
    private const string HttpRequest = "httpRequest";
    private const string RootTaskId = "rootTaskId";

    public static string Write(CrontabFiring? firing, FailureHandling? onFailure = null, string? httpRequestJson = null, CallingRun? caller = null)
    {
        var context = new JsonObject();
        if (firing is not null)
        {
            context[ExecMode] = firing.ExecMode;
            context[Expression] = firing.Expression;
            context[Delay] = firing.DelaySeconds.ToString(CultureInfo.InvariantCulture);
        }
        else if (caller is not null)
        {
            // Without a crontab expression or delay: a crontab run's child is never taken for one of its firings.
            context[ExecMode] = caller.ExecMode;
        }
        if (caller is not null)
        {
            context[RootTaskId] = caller.TaskId;
        }
        if (onFailure?.Retry is { } retry)
        {
            context[Retry] = JsonSerializer.SerializeToNode(retry, JsonSerializerOptions.Web);
        }
        if (onFailure?.ErrorHandlerFuncId is { } handler)
        {
            context[ErrorHandler] = handler;
        }
        if (httpRequestJson is not null)
        {
            context[HttpRequest] = JsonNode.Parse(httpRequestJson);
        }
        return context.ToJsonString();
    }

    /// <summary>
    /// The SQL of <paramref name="column"/> less its request: an ended task's record keeps no caller's headers at rest
    /// (a retry was given its own copy when it was queued). Rows without one are left as they are.
    /// </summary>
    public static string WithoutHttpRequestSql(string column) =>
        $"CASE WHEN position('\"{HttpRequest}\"' IN {column}) > 0 THEN ({column}::jsonb - '{HttpRequest}')::text ELSE {column} END";

    /// <summary>A context column read: the run's crontab firing and the request that queued it, what a failure asks for,
    /// and the run whose <c>DFF.FUNC</c> queued it.</summary>
    public sealed record Contents(CrontabFiring? Crontab, string? HttpRequestJson, FailureHandling? OnFailure, CallingRun? Caller);

    public static Contents Read(string json)
    {
        using var context = JsonDocument.Parse(json);
        var root = context.RootElement;
        var request = root.TryGetProperty(HttpRequest, out var described) && described.ValueKind == JsonValueKind.Object ? described.GetRawText() : null;
        var retry = root.TryGetProperty(Retry, out var policy) ? RetryPolicy.Read(policy) : null;
        var crontab = ReadCrontab(root);
        var caller = Text(root, RootTaskId) is { } rootTask ? new CallingRun(rootTask, Text(root, ExecMode) ?? ExecModes.Sync) : null;
        return new Contents(crontab, request, FailureHandling.Of(retry, Text(root, ErrorHandler)), caller);
    }

    private static CrontabFiring? ReadCrontab(JsonElement root) =>
        Text(root, ExecMode) is { } mode && Text(root, Expression) is { } expression
            ? new CrontabFiring(mode, expression, int.TryParse(Text(root, Delay), CultureInfo.InvariantCulture, out var delay) ? delay : 0)
            : null;

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
