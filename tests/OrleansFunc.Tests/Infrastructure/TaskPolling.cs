using System.Text.Json;
using Xunit;

namespace OrleansFunc.Tests.Infrastructure;

/// <summary>
/// Waiting for a task to finish: through the public result URL (batch tasks), or, with a token,
/// through the signed-in task records (any task).
/// </summary>
public static class TaskPolling
{
    public static async Task<JsonElement> WaitForTaskAsync(this ApiClient server, string taskId, TimeSpan timeout, string? token = null)
    {
        return await Eventually.ValueAsync($"task {taskId} to finish",
            async () => (await server.GetAsync(token is null
                ? $"/api/v1/func-result?taskId={taskId}"
                : $"/api/v1/task-records/{Uri.EscapeDataString(taskId)}", token)).AssertOk(),
            task => task.GetProperty("status").GetString() is not ("queued" or "running"), timeout);
    }
}
