namespace OrleansFunc.Engine;

/// <summary>Wakes this silo's <see cref="TaskDispatcher"/> when this process queued a task on a lane.</summary>
public sealed class TaskQueueSignal
{
    private readonly Dictionary<Lane, SemaphoreSlim> _signals = Enum.GetValues<Lane>().ToDictionary(lane => lane, _ => new SemaphoreSlim(0));

    public void Notify(Lane lane) => _signals[lane].Release();

    /// <summary>Waits for a notification or the poll interval, whichever comes first.</summary>
    public Task WaitAsync(Lane lane, TimeSpan pollInterval, CancellationToken cancellationToken) =>
        _signals[lane].WaitAsync(pollInterval, cancellationToken);
}
