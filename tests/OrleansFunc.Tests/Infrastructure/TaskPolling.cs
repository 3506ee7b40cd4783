using System.Text.Json;
using Xunit;

namespace OrleansFunc.Tests.Infrastructure;

/// <summary>
/// Waiting for a task to finish: through the public result URL (batch tasks), or, with a token,
/// through the signed-in task records (any task).
/// </summary>
public static class TaskPolling
{
    public static async Task<JsonElement> WaitForTaskAsync(this TestServer server, string taskId, TimeSpan timeout, string? token = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var task = (await server.GetAsync(token is null
                ? $"/api/v1/func-result?taskId={taskId}"
                : $"/api/v1/task-records/{Uri.EscapeDataString(taskId)}", token)).AssertOk();
            var status = task.GetProperty("status").GetString();
            if (status is not ("queued" or "running"))
            {
                return task;
            }
            Assert.True(DateTime.UtcNow < deadline, $"task {taskId} still {status} after {timeout}");
            await Task.Delay(100);
        }
    }
}
