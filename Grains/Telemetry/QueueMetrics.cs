using System.Diagnostics.Metrics;
using OrleansFunc.Engine;
using OrleansFunc.Records;

namespace OrleansFunc.Telemetry;

/// <summary>
/// The persisted task queue (cluster-wide, so every host reports the same numbers: aggregate with max) and the
/// crontab firings this silo wrote. The queue is read from PostgreSQL only when a scrape asks and the last reading
/// is older than <see cref="Freshness"/>; a scrape gets the last reading and never waits for the database.
/// </summary>
public sealed class QueueMetrics
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);

    /// <summary>A crontab run that began this long after its minute (and delay) counts as late.</summary>
    public static readonly TimeSpan LateAfter = TimeSpan.FromSeconds(10);

    private readonly TaskRecordStore _tasks;
    private readonly Counter<long> _firings;
    private readonly Counter<long> _lateRuns;
    /// <summary>The last reading of the queue and when it was taken (<see cref="Environment.TickCount64"/>); null before the first.</summary>
    private volatile Reading? _last;
    private int _reading;

    public QueueMetrics(IMeterFactory meters, TaskRecordStore tasks)
    {
        _tasks = tasks;
        var meter = meters.Create(FuncMetrics.MeterName);
        _firings = meter.CreateCounter<long>("orleansfunc.crontab.firings", "{firing}",
            "Crontab firings this silo wrote, by result: queued (to run), skipped (the previous run had not finished), missed (could not be written in time)");
        _lateRuns = meter.CreateCounter<long>("orleansfunc.crontab.late_runs", "{run}",
            $"Crontab runs that began more than {LateAfter.TotalSeconds:0} s after their minute");
        meter.CreateObservableGauge("orleansfunc.task.queue.depth", () => Observe(q => q.Due), "{task}", "Queued tasks that are due and wait for a worker, by lane (cluster-wide)");
        meter.CreateObservableGauge("orleansfunc.task.queue.scheduled", () => Observe(q => q.Queued - q.Due), "{task}", "Queued tasks not due yet (firings queued ahead, delayed runs), by lane (cluster-wide)");
        meter.CreateObservableGauge("orleansfunc.task.queue.running", () => Observe(q => q.Running), "{task}", "Queued tasks running now, by lane (cluster-wide)");
        meter.CreateObservableGauge("orleansfunc.task.queue.oldest_wait", () => Observe(q => q.OldestDueSeconds), "s",
            "How long the oldest due task of a lane has waited past its due time (cluster-wide)");
    }

    public void RecordFiring(string result) => _firings.Add(1, new KeyValuePair<string, object?>("result", result));

    public void RecordLateRun() => _lateRuns.Add(1);

    /// <summary>Every lane, a lane without queued or running tasks as zeros (a series that vanishes cannot be alerted on).</summary>
    private IEnumerable<Measurement<T>> Observe<T>(Func<LaneQueue, T> value) where T : struct
    {
        RefreshIfStale();
        if (_last is not { Queues: var queues })
        {
            return [];
        }
        return Enum.GetValues<Lane>().Select(lane =>
        {
            var name = lane.WireName();
            var queue = queues.FirstOrDefault(q => q.Lane == name) ?? new LaneQueue(name, 0, 0, 0, 0);
            return new Measurement<T>(value(queue), new KeyValuePair<string, object?>("lane", name));
        });
    }

    private void RefreshIfStale()
    {
        if (Environment.TickCount64 - _last?.At < Freshness.TotalMilliseconds || Interlocked.Exchange(ref _reading, 1) == 1)
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                using var timeout = new CancellationTokenSource(Freshness);
                _last = new Reading(await _tasks.CountWaitingAsync(timeout.Token), Environment.TickCount64);
            }
            catch (Exception)
            {
                // The database is away: the last reading stays; the next scrape asks again.
            }
            finally
            {
                Volatile.Write(ref _reading, 0);
            }
        });
    }

    private sealed record Reading(IReadOnlyList<LaneQueue> Queues, long At);
}
