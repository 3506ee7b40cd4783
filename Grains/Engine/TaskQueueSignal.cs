namespace OrleansFunc.Engine;

/// <summary>Wakes this silo's <see cref="TaskDispatcher"/> when this process queued a task on a lane.</summary>
public sealed class TaskQueueSignal
{
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

    /// <summary>Waits for a notification or the poll interval, whichever comes first.</summary>
    public Task WaitAsync(Lane lane, TimeSpan pollInterval, CancellationToken cancellationToken) =>
        _signals[lane].WaitAsync(pollInterval, cancellationToken);
}
