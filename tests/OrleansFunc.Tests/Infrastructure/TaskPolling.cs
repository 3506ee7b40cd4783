using System.Text.Json;
using Xunit;

namespace OrleansFunc.Tests.Infrastructure;

/// <summary>Waiting for an asynchronous call's task to finish, through the public result URL.</summary>
public static class TaskPolling
{
    public static async Task<JsonElement> WaitForTaskAsync(this TestServer server, string taskId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var task = (await server.GetAsync($"/api/v1/func-result?taskId={taskId}")).AssertOk();
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
