using Microsoft.Extensions.Logging;
using OrleansFunc.Common;

namespace OrleansFunc.Crontabs;

/// <summary>
/// When a silo starts, wakes every crontab config so that each sets its next firing at once instead
/// of at its reminder's next tick (which may come after the next minute). Waking is idempotent: a
/// config already active on another silo just answers.
/// </summary>
public sealed partial class CrontabStarter(IGrainFactory grains, ILogger<CrontabStarter> logger) : IStartupTask
{
    private const int PageSize = PageRequest.MaxPageSize;

    public Task Execute(CancellationToken cancellationToken)
    {
        // In the background: the silo's start does not wait for every config.
        _ = Task.Run(() => WakeAllAsync(cancellationToken), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task WakeAllAsync(CancellationToken cancellationToken)
    {
        try
        {
            var directory = grains.DirectoryOf<CrontabConfigInfo>();
            for (var pageNumber = 1; !cancellationToken.IsCancellationRequested; pageNumber++)
            {
                var page = await directory.ListAsync(new PageRequest(pageNumber, PageSize));
                await Task.WhenAll(page.Items.Select(config => grains.GetGrain<ICrontabGrain>(config.Id).WakeAsync()));
                if (pageNumber * PageSize >= page.TotalCount)
                {
                    break;
                }
            }
        }
        catch (Exception failure)
        {
            // The configs' reminders still wake them within a minute.
            LogWakeFailed(logger, failure);
        }
    }
}
