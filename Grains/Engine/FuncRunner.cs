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

    public Task<FuncRunResult> RunAsync(FuncRunRequest request) =>
        _localEngine is not null && _callbacks is not null
            ? _localEngine.RunAsync(request, (name, args) => _callbacks.AnswerAsync(request, name, args))
            : grains.GetGrain<IFuncRunnerGrain>(0).RunAsync(request);
}
