using Microsoft.Extensions.DependencyInjection;

namespace OrleansFunc.Engine;

/// <summary>
/// Runs a request where a worker of its lane is free: on this silo's own engine first (no grain call
/// on the hot path), else on another silo that has one free now. A call asks at most <see cref="Asked"/>
/// other silos, starting at a rotating place so that hosts spread their overflow: every other silo of a
/// cluster of up to three, and beyond, a call's messages do not grow with the cluster. When none has a
/// free worker, the run waits in the line of a silo taken in turn (this one among them), so that every
/// silo's workers take their share.
/// </summary>
public sealed class FuncRunner(IGrainFactory grains, ClusterSilos silos, IServiceProvider services)
{
    /// <summary>How many other silos a call asks for a free worker before it waits in a line.</summary>
    private const int Asked = 2;

    private readonly LocalRunner? _local = services.GetService<LocalRunner>();
    private int _turn;

    public async Task<FuncRunResult> RunAsync(FuncRunRequest request)
    {
        if (_local is not null)
        {
            // Null at once when no worker is free, or when this host is stopping.
            var here = _local.TryRunNowAsync(request);
            // No free worker here is known at once: no need to leave the thread for that answer.
            if (!here.IsCompletedSuccessfully || here.Result is not null)
            {
                if (await OffChannelThread(here) is { } result)
                {
                    return result;
                }
            }
        }
        var others = await silos.ActiveAsync(except: _local?.SiloKey);
        var turn = NextTurn(others);
        if (await AskOthersAsync(request, others, turn) is { } elsewhere)
        {
            return elsewhere;
        }
        // Every worker is busy: this silo's line, or another's, in turn; a stopping silo takes no run.
        for (var i = 0; i <= others.Count; i++)
        {
            var line = (turn + i) % (others.Count + 1);
            if (line == others.Count)
            {
                if (_local is not null && await OffChannelThread(_local.RunAsync(request)) is { } here)
                {
                    return here;
                }
                continue;
            }
            var (queued, lost) = await OnSiloAsync(others[line], runner => runner.RunAsync(request));
            if (queued is not null || lost)
            {
                return queued ?? Lost(request, others[line]);
            }
        }
        return _local is not null
            ? await OffChannelThread(_local.RunHereAsync(request))
            : WorkerResults.Killed(request, new WorkerOutcome(null, KillReason.NoWorker, "no active silo of the cluster takes runs"));
    }

    /// <summary>
    /// Runs the request on this silo, in its line when no worker is free (the line also starts a worker, or frees one of
    /// another script set, for it); null when this host is stopping. A queued task's way: its dispatcher sends this
    /// silo no more of a lane's tasks at once than the lane has workers.
    /// </summary>
    public Task<FuncRunResult?> RunInLineHereAsync(FuncRunRequest request) =>
        _local is null ? Task.FromResult<FuncRunResult?>(null) : OffChannelThread(_local.RunAsync(request));

    /// <summary>Runs the request on one of <see cref="Asked"/> other silos that has a worker free now; null when none has (nothing ran).</summary>
    public async Task<FuncRunResult?> TryRunElsewhereNowAsync(FuncRunRequest request)
    {
        var others = await silos.ActiveAsync(except: _local?.SiloKey);
        return await AskOthersAsync(request, others, NextTurn(others));
    }

    /// <summary>Where this call starts among the other silos and this one's line: each call one further, so hosts spread their overflow.</summary>
    private int NextTurn(IReadOnlyList<string> others) => (int)((uint)Interlocked.Increment(ref _turn) % (uint)(others.Count + 1));

    /// <summary>Whether the cluster has another active silo to ask (none: <see cref="TryRunElsewhereNowAsync"/> would be in vain).</summary>
    public async ValueTask<bool> HasOtherSilosAsync() => (await silos.ActiveAsync(except: _local?.SiloKey)).Count > 0;

    /// <summary>The run on the first of <see cref="Asked"/> other silos, from <paramref name="turn"/> on, that has a worker free now; null when none has.</summary>
    private async Task<FuncRunResult?> AskOthersAsync(FuncRunRequest request, IReadOnlyList<string> others, int turn)
    {
        for (var i = 0; i < Math.Min(Asked, others.Count); i++)
        {
            var key = others[(turn + i) % others.Count];
            var (result, lost) = await OnSiloAsync(key, runner => runner.TryRunAsync(request));
            if (result is not null || lost)
            {
                return result ?? Lost(request, key);
            }
        }
        return null;
    }

    /// <summary>
    /// The call to the silo of <paramref name="key"/>: its answer (null: no worker free there); or (null, false)
    /// when the request never reached the grain (no connection, the silo is no longer a member, or it is stopping and
    /// refused it), so another may take it; or (null, true) when the silo left the cluster with the call in flight:
    /// whether the func ran is then unknown, and that is the call's answer.
    /// </summary>
    private async Task<(FuncRunResult? Result, bool Lost)> OnSiloAsync(string key, Func<ISiloRunnerGrain, Task<FuncRunResult?>> call)
    {
        try
        {
            return (await Telemetry.FuncTracing.CarryingTraceAsync(() => call(grains.GetGrain<ISiloRunnerGrain>(key))), false);
        }
        catch (Exception lost) when (lost is SiloUnavailableException or SiloNotMemberException or Orleans.Runtime.Messaging.ConnectionFailedException
                                         or OrleansMessageRejectionException)
        {
            silos.MarkUnreachable(key);
            return (null, lost is SiloUnavailableException unavailable && LostInFlight(unavailable));
        }
    }

    /// <summary>
    /// Whether the silo died with the call delivered (Orleans fails the call's callback with "The target silo became
    /// unavailable"), so the func may have run. Every other SiloUnavailableException is a refusal before the grain ran: a
    /// stopping silo that places nothing new ("Silo ... is shutting down"), a silo known to be dead; such a call goes to
    /// another silo.
    /// </summary>
    private static bool LostInFlight(SiloUnavailableException unavailable) =>
        unavailable.Message.StartsWith("The target silo became unavailable", StringComparison.Ordinal);

    private static FuncRunResult Lost(FuncRunRequest request, string key) =>
        WorkerResults.Killed(request, new WorkerOutcome(null, KillReason.SiloLost, $"silo {SiloAddress.FromParsableString(key).Endpoint}"));

    /// <summary>
    /// The engine completes runs on its channel-reading thread. A grain's code continues on the grain's scheduler; a
    /// caller without one (a public call's request) continues on that thread up to its next wait, its response
    /// written there: ForceYielding only leaves when the run had already ended. Handing those continuations to the
    /// thread pool measured no better (interleaved link runs of 2026-12-06: 4.7k / 5.7k / 5.7k calls/s there against
    /// 4.9k / 4.6k / 5.1k with the hop, on a busy host), so they must not block, as the poller's sinks must not.
    /// </summary>
    private static async Task<T> OffChannelThread<T>(Task<T> run) =>
        await run.ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.ForceYielding);
}
