namespace OrleansFunc.Engine;

/// <summary>Wakes this silo's <see cref="TaskDispatcher"/> when this process queued a task on a lane.</summary>
public sealed class TaskQueueSignal
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Lane, DateTimeOffset), byte> _scheduled = new();
    private readonly Dictionary<Lane, SemaphoreSlim> _signals = Enum.GetValues<Lane>().ToDictionary(lane => lane, _ => new SemaphoreSlim(0, 1));

    /// <summary>
    /// Raises the lane's signal; notifications before the dispatcher looks count as one (a burst of 10,000 queued
    /// firings wakes it once, and it claims them in batches, not 10,000 times).
    /// </summary>
    public void Notify(Lane lane)
    {
        try
        {
            _signals[lane].Release();
        }
        catch (SemaphoreFullException)
        {
            // Already raised.
        }
    }

    /// <summary>
    /// Raises the lane's signal at <paramref name="time"/> (a task queued to run then); one wake-up per lane and time,
    /// however many tasks wait for it.
    /// </summary>
    public void NotifyAt(Lane lane, DateTimeOffset time)
    {
        var wait = time - DateTimeOffset.UtcNow;
        if (wait <= TimeSpan.Zero)
        {
            Notify(lane);
            return;
        }
        if (_scheduled.TryAdd((lane, time), 0))
        {
            _ = Task.Delay(wait).ContinueWith(_ =>
            {
                _scheduled.TryRemove((lane, time), out var _);
                Notify(lane);
            }, TaskScheduler.Default);
        }
    }

    /// <summary>Waits for a notification or the poll interval, whichever comes first.</summary>
    public Task WaitAsync(Lane lane, TimeSpan pollInterval, CancellationToken cancellationToken) =>
        _signals[lane].WaitAsync(pollInterval, cancellationToken);
}
