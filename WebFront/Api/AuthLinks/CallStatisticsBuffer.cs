using System.Collections.Concurrent;
using OrleansFunc.AuthLinks;

namespace OrleansFunc.WebFront.Api.AuthLinks;

/// <summary>
/// Collects finished auth-link calls in memory and sends them to their link grains every two
/// seconds, one one-way message per link: statistics cost a call nothing on its way.
/// </summary>
public sealed partial class CallStatisticsBuffer(IGrainFactory grains, ILogger<CallStatisticsBuffer> logger) : BackgroundService
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(2);
    private ConcurrentDictionary<string, ConcurrentQueue<CallSample>> _pending = new();

    public void Record(string linkId, int statusCode, double costMs) =>
        _pending.GetOrAdd(linkId, _ => new ConcurrentQueue<CallSample>()).Enqueue(new CallSample(DateTimeOffset.UtcNow, statusCode, costMs));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var batch = Interlocked.Exchange(ref _pending, new ConcurrentDictionary<string, ConcurrentQueue<CallSample>>());
            foreach (var (linkId, calls) in batch)
            {
                try
                {
                    await grains.GetGrain<IAuthLinkGrain>(linkId).RecordCallsAsync(calls.TakeLast(CallStatistics.Window).ToList());
                }
                catch (Exception failure) when (failure is not OperationCanceledException)
                {
                    LogFlushFailed(logger, failure, linkId);
                }
            }
        }
    }
}
