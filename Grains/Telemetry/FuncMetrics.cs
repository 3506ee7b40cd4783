using System.Diagnostics.Metrics;
using OrleansFunc.Engine;

namespace OrleansFunc.Telemetry;

/// <summary>
/// The platform's own instruments for calls (meter <see cref="MeterName"/>), named by OpenTelemetry's conventions,
/// with labels from bounded sets: the origin (a fixed list), the func (the published funcs) and the outcome (the run
/// statuses).
/// </summary>
public sealed class FuncMetrics
{
    public const string MeterName = "OrleansFunc";

    private readonly Counter<long> _calls;
    private readonly Histogram<double> _runDuration;
    private readonly Histogram<double> _queueWait;

    public FuncMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _calls = meter.CreateCounter<long>("orleansfunc.func.calls", "{call}", "Func calls that ran, by origin, func and outcome");
        _runDuration = meter.CreateHistogram<double>("orleansfunc.func.run.duration", "s", "How long runs took on their worker, by origin and outcome");
        _queueWait = meter.CreateHistogram<double>("orleansfunc.task.queue.wait", "s",
            "How long queued tasks waited past their due time before their run began, by lane and origin (crontab: how late a firing ran)");
    }

    public void RecordRun(string origin, string funcId, FuncRunResult run)
    {
        var originTag = new KeyValuePair<string, object?>("origin", origin);
        var outcomeTag = new KeyValuePair<string, object?>("outcome", run.Status);
        _calls.Add(1, originTag, new KeyValuePair<string, object?>("func.id", funcId), outcomeTag);
        _runDuration.Record(run.Cost, originTag, outcomeTag);
    }

    public void RecordQueueWait(Lane lane, string origin, TimeSpan wait) =>
        _queueWait.Record(Math.Max(0, wait.TotalSeconds), Tags.Lane(lane), new KeyValuePair<string, object?>("origin", origin));
}
