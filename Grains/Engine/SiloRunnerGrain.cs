using Orleans.Concurrency;

namespace OrleansFunc.Engine;

/// <summary>
/// The runs other hosts send to this silo (see <see cref="ISiloRunnerGrain"/>). Its results complete
/// on the engine's channel thread; the grain's scheduler takes the answer from there.
/// </summary>
[Reentrant, SiloTargetedPlacement]
public sealed class SiloRunnerGrain(LocalRunner runner) : Grain, ISiloRunnerGrain
{
    public Task<FuncRunResult?> TryRunAsync(FuncRunRequest request) => runner.TryRunNowAsync(request);

    public Task<FuncRunResult?> RunAsync(FuncRunRequest request) => runner.RunAsync(request);
}
