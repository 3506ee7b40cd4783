using Microsoft.Extensions.Logging;

namespace OrleansFunc.Engine;

public sealed partial class TaskDispatcher
{
    [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "Could not claim a queued task")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Error, Message = "Task {TaskId} could not be run; its lease will let another silo retry it")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string taskId);

    [LoggerMessage(EventId = 3024, Level = LogLevel.Warning, Message = "Task {TaskId} ended but its record could not be written yet; trying again in {Wait}")]
    private static partial void LogCompletionDeferred(ILogger logger, Exception exception, string taskId, TimeSpan wait);

    [LoggerMessage(EventId = 3025, Level = LogLevel.Error, Message = "Task {TaskId} failed and what its failure asks for (a retry, an error handler) could not be decided")]
    private static partial void LogFollowUpFailed(ILogger logger, Exception exception, string taskId);

    [LoggerMessage(EventId = 3023, Level = LogLevel.Warning, Message = "Could not renew the leases of {Count} running tasks; they are claimed again if this lasts a whole lease")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 3026, Level = LogLevel.Information,
        Message = "{Count} claimed tasks of the {Lane} lane found no free worker in time and went back to the queue")]
    private static partial void LogGivenBack(ILogger logger, int count, string lane);

    [LoggerMessage(EventId = 3027, Level = LogLevel.Warning, Message = "Could not put {Count} claimed tasks back in the queue; they wait here for a worker, or, on a stopping silo, for their leases to run out")]
    private static partial void LogGiveBackFailed(ILogger logger, Exception exception, int count);
}
