using Microsoft.Extensions.DependencyInjection;

namespace OrleansFunc.Engine;

/// <summary>
/// Runs a request on this process's own engine when it hosts a silo (no grain call on the hot path),
/// else through <see cref="IFuncRunnerGrain"/> on a silo (a WebFront running as a pure client).
/// </summary>
public sealed class FuncRunner(IGrainFactory grains, IServiceProvider services)
{
    private readonly PythonEngine? _localEngine = services.GetService<PythonEngine>();
    private readonly EngineCallbacks? _callbacks = services.GetService<EngineCallbacks>();

    public async Task<FuncRunResult> RunAsync(FuncRunRequest request)
    {
        if (_localEngine is null || _callbacks is null)
        {
            return await grains.GetGrain<IFuncRunnerGrain>(0).RunAsync(request);
        }
        // The engine completes runs on its channel-reading thread: the caller's code continues on
        // its own scheduler (a grain's) or the thread pool, never there.
        return await _localEngine.RunAsync(request, _callbacks.For(request))
            .ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.ForceYielding);
    }
}
