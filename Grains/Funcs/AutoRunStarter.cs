using Microsoft.Extensions.Logging;

namespace OrleansFunc.Funcs;

/// <summary>When a silo starts, queues the auto-run funcs that run at launch (<see cref="AutoRuns.QueueAtLaunchAsync"/>).</summary>
public sealed partial class AutoRunStarter(IGrainFactory grains, AutoRuns autoRuns, ILogger<AutoRunStarter> logger) : IStartupTask
{
    public Task Execute(CancellationToken cancellationToken)
    {
        // In the background: the silo's start does not wait for the func directory.
        _ = Task.Run(async () =>
        {
            try
            {
                var queued = await autoRuns.QueueAtLaunchAsync(grains);
                if (queued.Count > 0)
                {
                    LogQueued(logger, queued.Count);
                }
            }
            catch (Exception failure)
            {
                LogFailed(logger, failure);
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }
}
