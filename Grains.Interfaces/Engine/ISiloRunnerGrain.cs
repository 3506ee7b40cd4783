namespace OrleansFunc.Engine;

/// <summary>
/// The Python engine of one silo, as the rest of the cluster reaches it: keyed by the silo's address
/// (<c>SiloAddress.ToParsableString()</c>) and only ever activated on that silo. Reentrant: one
/// activation carries all the runs sent to its silo; the lanes' pool sizes are the real bound.
/// </summary>
[Alias("of.silo-runner")]
public interface ISiloRunnerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Runs the request to its end if a worker of its lane is free on this silo now; else answers
    /// null at once, so that the caller tries another silo instead of waiting here.
    /// </summary>
    [Alias("try-run"), ResponseTimeout("01:02:00")]
    Task<FuncRunResult?> TryRunAsync(FuncRunRequest request);

    /// <summary>Runs the request here, waiting in the lane's line for a worker; null when the silo is stopping (send it elsewhere).</summary>
    [Alias("run"), ResponseTimeout("01:02:00")]
    Task<FuncRunResult?> RunAsync(FuncRunRequest request);
}
