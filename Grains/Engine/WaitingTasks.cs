using OrleansFunc.Records;

namespace OrleansFunc.Engine;

/// <summary>
/// A lane's tasks this silo claimed that no worker took yet, oldest trigger first, each with the time it was claimed:
/// the next worker that frees up takes the oldest, and once one has waited too long they all go back to the queue
/// (see <see cref="TaskDispatcher"/>).
/// </summary>
public sealed class WaitingTasks
{
    /// <param name="Since">When it was claimed (<see cref="Environment.TickCount64"/>).</param>
    public sealed record Waiting(TaskRecord Task, long Since);

    private readonly Lock _lock = new();
    private readonly List<Waiting> _tasks = [];

    public void Add(Waiting waiting)
    {
        lock (_lock)
        {
            var place = _tasks.FindIndex(other => other.Task.TriggerTime > waiting.Task.TriggerTime);
            _tasks.Insert(place < 0 ? _tasks.Count : place, waiting);
        }
    }

    public Waiting? TakeOldest()
    {
        lock (_lock)
        {
            if (_tasks.Count == 0)
            {
                return null;
            }
            var oldest = _tasks[0];
            _tasks.RemoveAt(0);
            return oldest;
        }
    }

    /// <summary>Every waiting task, when one has waited since before <paramref name="since"/>; else none.</summary>
    public IReadOnlyList<Waiting> TakeAllIfAnyWaitedSince(long since)
    {
        lock (_lock)
        {
            if (!_tasks.Any(waiting => waiting.Since < since))
            {
                return [];
            }
            var all = _tasks.ToList();
            _tasks.Clear();
            return all;
        }
    }

    public IReadOnlyList<Waiting> TakeAll() => TakeAllIfAnyWaitedSince(long.MaxValue);
}
