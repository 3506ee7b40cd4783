using System.Diagnostics;
using OrleansFunc.Engine;

namespace OrleansFunc.Telemetry;

/// <summary>
/// The platform's spans (activity source <see cref="SourceName"/>): <c>func.call</c> around a func call on the silo
/// that takes it, <c>func.remote_run</c> on the silo another one sent the run to, and <c>worker.run</c> for the run
/// inside the worker process, timed by the worker (the worker itself exports nothing: a script could forge what it
/// sent). Without a listener (tracing off) no span is made. A run sent to another silo carries its trace in the
/// grain call's request context, so a trace crosses silos without a span for every grain call (Orleans' own grain-call
/// spans cost a fifth of a node's throughput; they are <see cref="Hosting.TelemetrySettings.TraceGrainCalls"/>).
/// </summary>
public static class FuncTracing
{
    public const string SourceName = "OrleansFunc";

    /// <summary>The request-context key of the caller's W3C trace parent, on a run sent to another silo.</summary>
    private const string ParentKey = "of.traceparent";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>A func call's span, or null when nobody listens.</summary>
    public static Activity? StartCall(string funcId, string origin, Lane lane)
    {
        // A request the sampler left out has no span of ours either (a sampler's "no" still makes a span to propagate).
        if (Activity.Current is { Recorded: false })
        {
            return null;
        }
        var call = Source.StartActivity("func.call");
        if (call is { IsAllDataRequested: true })
        {
            call.SetTag("func.id", funcId).SetTag("orleansfunc.origin", origin).SetTag("orleansfunc.lane", lane.WireName());
        }
        return call;
    }

    public static void EndCall(Activity? call, FuncRunResult run)
    {
        if (call is null)
        {
            return;
        }
        call.SetTag("orleansfunc.outcome", run.Status);
        if (!run.IsSuccess)
        {
            call.SetStatus(ActivityStatusCode.Error, run.Error?.Message);
        }
        call.Dispose();
    }

    /// <summary>Leaves a span out of the export: its call found no free worker and ran nothing (no span to show).</summary>
    public static void NothingRan(Activity? span)
    {
        if (span is not null)
        {
            span.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }

    /// <summary>Calls <paramref name="call"/> (a grain call to another silo's runner) with the current span as its parent.</summary>
    public static async Task<T> CarryingTraceAsync<T>(Func<Task<T>> call)
    {
        if (Activity.Current is not { Recorded: true } current)
        {
            return await call();
        }
        RequestContext.Set(ParentKey, current.Id!);
        try
        {
            return await call();
        }
        finally
        {
            RequestContext.Remove(ParentKey);
        }
    }

    /// <summary>On the silo a run was sent to: its span under the sender's, or null when the sender traced nothing.</summary>
    public static Activity? StartRemoteRun(FuncRunRequest request)
    {
        if (RequestContext.Get(ParentKey) is not string parent || !Source.HasListeners())
        {
            return null;
        }
        var run = Source.StartActivity("func.remote_run", ActivityKind.Server, parent);
        run?.SetTag("func.id", request.FuncName is null ? request.ScriptId : $"{request.ScriptId}.{request.FuncName}")
            .SetTag("orleansfunc.lane", request.Lane.WireName());
        return run;
    }

    /// <summary>The span of a run in its worker: it began <see cref="FuncRunResult.Cost"/> seconds before its answer came.</summary>
    public static void RecordWorkerRun(FuncRunRequest request, FuncRunResult run)
    {
        if (!Source.HasListeners() || Activity.Current is { Recorded: false })
        {
            return;
        }
        var end = DateTimeOffset.UtcNow;
        using var span = Source.StartActivity("worker.run", ActivityKind.Internal, Activity.Current?.Context ?? default,
            startTime: end - TimeSpan.FromSeconds(run.Cost));
        if (span is not { IsAllDataRequested: true })
        {
            return;
        }
        span.SetTag("func.id", request.FuncName is null ? request.ScriptId : $"{request.ScriptId}.{request.FuncName}")
            .SetTag("orleansfunc.lane", request.Lane.WireName())
            .SetTag("orleansfunc.run_mode", request.Mode.ToString())
            .SetTag("orleansfunc.outcome", run.Status);
        if (run.KillReason is { } killed)
        {
            span.SetTag("orleansfunc.kill_reason", killed.ToString());
        }
        if (!run.IsSuccess)
        {
            span.SetStatus(ActivityStatusCode.Error, run.Error?.Message);
        }
        span.SetEndTime(end.UtcDateTime);
    }
}
