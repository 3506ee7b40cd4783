using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansFunc.Common;

/// <summary>
/// Background work done in rounds at a fixed interval until the host stops; a failed round is logged
/// at <paramref name="failureLevel"/> and the next round tries again.
/// </summary>
public abstract partial class PeriodicBackgroundService(TimeSpan interval, bool firstRoundAtStart, LogLevel failureLevel, ILogger logger)
    : BackgroundService
{
    /// <summary>One round of the work.</summary>
    protected abstract Task RunRoundAsync(CancellationToken stoppingToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting before the first round.
        await Task.Yield();
        using var timer = new PeriodicTimer(interval);
        try
        {
            if (firstRoundAtStart)
            {
                await TryRoundAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await TryRoundAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // the host is stopping
        }
    }

    private async Task TryRoundAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunRoundAsync(stoppingToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            LogRoundFailed(logger, failureLevel, failure, GetType().Name);
        }
    }
}
