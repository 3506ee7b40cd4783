using Microsoft.Extensions.Logging;

namespace OrleansFunc.Crontabs;

public sealed partial class CrontabRuns
{
    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "The fixed_crontab of {FuncId} is not valid, the config's expression is used: {Reason}")]
    private static partial void LogInvalidFixedCrontab(ILogger logger, string funcId, string reason);
}
