using Orleans.Concurrency;

namespace OrleansFunc.Engine;

/// <summary>
/// Runs Python on the local silo's worker pools. A stateless worker: any silo runs it, many at
/// once, outside every entity grain's turn.
/// </summary>
[Alias("of.func-runner")]
public interface IFuncRunnerGrain : IGrainWithIntegerKey
{
    /// <summary>Runs a request to its end: success, failure, or timeout (the worker killed if need be).</summary>
    [Alias("run"), ResponseTimeout("01:02:00")]
    Task<FuncRunResult> RunAsync(FuncRunRequest request);
}
