namespace OrleansFunc.Engine;

/// <summary>
/// This silo's engine with the callbacks its runs need, and the silo's name stamped on each run
/// (the script's <c>_DFF_SILO</c>): what <see cref="SiloRunnerGrain"/> and <see cref="FuncRunner"/> run on.
/// </summary>
public sealed class LocalRunner(
    PythonEngine engine, EngineCallbacks callbacks, ILocalSiloDetails silo, Microsoft.Extensions.Hosting.IHostApplicationLifetime lifetime)
{
    /// <summary>The silo's grain key (see <see cref="SiloTargetedPlacement"/>).</summary>
    public string SiloKey { get; } = SiloTargetedPlacement.KeyOf(silo.SiloAddress);

    /// <summary>How runs name this silo: its endpoint, as operators and the overview know it.</summary>
    public string SiloName { get; } = silo.SiloAddress.Endpoint.ToString();

    /// <summary>Runs now if a worker of the lane is free, else null at once; always null once the host is stopping (it drains).</summary>
    public Task<FuncRunResult?> TryRunNowAsync(FuncRunRequest request)
    {
        if (IsStopping || !engine.HasIdleWorker(request))
        {
            return Task.FromResult<FuncRunResult?>(null);
        }
        var stamped = Stamped(request);
        return engine.TryRunNowAsync(stamped, callbacks.For(stamped));
    }

    /// <summary>Whether the host is stopping: it starts no new run, and the runs it has end first (see <see cref="PythonEngine.StopAsync"/>).</summary>
    public bool IsStopping => lifetime.ApplicationStopping.IsCancellationRequested;

    /// <summary>Runs here, waiting for a worker of the lane; null once the host is stopping (the caller goes elsewhere).</summary>
    public async Task<FuncRunResult?> RunAsync(FuncRunRequest request) => IsStopping ? null : await RunHereAsync(request);

    /// <summary>
    /// Runs here even while the host stops: for this host's own calls that no other silo took (a lone
    /// silo's last requests). The engine lets runs in flight end before it stops.
    /// </summary>
    public Task<FuncRunResult> RunHereAsync(FuncRunRequest request)
    {
        var stamped = Stamped(request);
        return engine.RunAsync(stamped, callbacks.For(stamped));
    }

    private FuncRunRequest Stamped(FuncRunRequest request) => request with { Context = request.Context with { Silo = SiloName } };
}
