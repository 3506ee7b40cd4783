using Orleans.Concurrency;

namespace OrleansFunc.Engine;

/// <summary>
/// The runs other hosts send to this silo (see <see cref="ISiloRunnerGrain"/>). Its results complete
/// on the engine's channel thread; the grain's scheduler takes the answer from there.
/// </summary>
[Reentrant, SiloTargetedPlacement]
public sealed class SiloRunnerGrain(LocalRunner runner) : Grain, ISiloRunnerGrain
{
    public async Task<FuncRunResult?> TryRunAsync(FuncRunRequest request)
    {
        using var span = Telemetry.FuncTracing.StartRemoteRun(request);
        var result = await runner.TryRunNowAsync(request);
        if (result is null)
        {
            Telemetry.FuncTracing.NothingRan(span);
        }
        return result;
    }

    public async Task<FuncRunResult?> RunAsync(FuncRunRequest request)
    {
        using var span = Telemetry.FuncTracing.StartRemoteRun(request);
        return await runner.RunAsync(request);
    }
}
