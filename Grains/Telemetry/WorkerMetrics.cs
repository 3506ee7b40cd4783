using System.Diagnostics.Metrics;
using OrleansFunc.Engine;
using OrleansFunc.Stats;

namespace OrleansFunc.Telemetry;

/// <summary>
/// The worker pools of this silo: their size, live, busy and waiting runs per lane (read from the pools when
/// scraped), and the workers started, failing to start and ending, by lane and reason.
/// </summary>
public sealed class WorkerMetrics
{
    private readonly Counter<long> _starts;
    private readonly Counter<long> _startFailures;
    private readonly Counter<long> _ends;
    private Func<IEnumerable<PoolStatus>> _pools = () => [];

    public WorkerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(FuncMetrics.MeterName);
        _starts = meter.CreateCounter<long>("orleansfunc.worker.starts", "{worker}", "Worker processes started, by lane");
        _startFailures = meter.CreateCounter<long>("orleansfunc.worker.start_failures", "{worker}", "Worker processes that failed to start, by lane");
        _ends = meter.CreateCounter<long>("orleansfunc.worker.ends", "{worker}",
            "Worker processes ended by the pool, by lane and reason: killed during a run (Timeout, MemoryLimit, Crashed, ProtocolError, Cancelled) or retired (RunQuota, MemoryRecycle, LeftProcesses, Evicted)");
        meter.CreateObservableGauge("orleansfunc.worker.pool.size", () => Observe(p => p.Size), "{worker}", "Runs a lane runs at once");
        meter.CreateObservableGauge("orleansfunc.worker.pool.live", () => Observe(p => p.Live), "{worker}", "Worker processes alive, by lane");
        meter.CreateObservableGauge("orleansfunc.worker.pool.busy", () => Observe(p => p.Busy), "{worker}", "Workers with a run now, by lane");
        meter.CreateObservableGauge("orleansfunc.worker.pool.waiting", () => Observe(p => p.Waiting), "{run}", "Runs waiting for a worker, by lane");
    }

    /// <summary>The engine's pools, read at each scrape.</summary>
    public void ObservePools(Func<IEnumerable<PoolStatus>> pools) => _pools = pools;

    /// <param name="pool">A lane's wire name, or a named pool's name (label <c>lane</c>: a bounded set, from the settings).</param>
    public void RecordStart(string pool) => _starts.Add(1, PoolTag(pool));

    public void RecordStartFailure(string pool) => _startFailures.Add(1, PoolTag(pool));

    public void RecordEnd(string pool, string reason) => _ends.Add(1, PoolTag(pool), new KeyValuePair<string, object?>("reason", reason));

    private static KeyValuePair<string, object?> PoolTag(string pool) => new("lane", pool);

    private IEnumerable<Measurement<int>> Observe(Func<PoolStatus, int> value) =>
        _pools().Select(pool => new Measurement<int>(value(pool), new KeyValuePair<string, object?>("lane", pool.Lane)));
}
