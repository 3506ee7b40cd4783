namespace OrleansFunc.Engine;

/// <summary>
/// This silo's engine with the callbacks its runs need, and the silo's name stamped on each run
/// (the script's <c>_DFF_SILO</c>): what <see cref="SiloRunnerGrain"/> and <see cref="FuncRunner"/> run on.
/// </summary>
public sealed class LocalRunner(PythonEngine engine, EngineCallbacks callbacks, ILocalSiloDetails silo)
{
    /// <summary>The silo's grain key (see <see cref="SiloTargetedPlacement"/>).</summary>
    public string SiloKey { get; } = SiloTargetedPlacement.KeyOf(silo.SiloAddress);

    /// <summary>How runs name this silo: its endpoint, as operators and the overview know it.</summary>
    public string SiloName { get; } = silo.SiloAddress.Endpoint.ToString();

    /// <summary>Runs now if a worker of the lane is free, else null at once.</summary>
    public Task<FuncRunResult?> TryRunNowAsync(FuncRunRequest request)
    {
        var stamped = Stamped(request);
        return engine.TryRunNowAsync(stamped, callbacks.For(stamped));
    }

    /// <summary>Runs here, waiting for a worker of the lane.</summary>
    public Task<FuncRunResult> RunAsync(FuncRunRequest request)
    {
        var stamped = Stamped(request);
        return engine.RunAsync(stamped, callbacks.For(stamped));
    }

    private FuncRunRequest Stamped(FuncRunRequest request) => request with { Context = request.Context with { Silo = SiloName } };
}
