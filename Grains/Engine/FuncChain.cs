namespace OrleansFunc.Engine;

/// <summary>
/// The chain of funcs a <c>DFF.FUNC</c> call extends, built by the silo from the run that asks (its
/// task's chain, which the silo stored, and its own func), never from what the worker sends: a
/// script can forge a call frame, not the chain.
/// </summary>
public static class FuncChain
{
    /// <summary>Funcs in one chain at most, the first included (DataFlux Func: 5).</summary>
    public const int MaxLength = 5;

    /// <summary>The chain of the task that <paramref name="caller"/>'s run queues for <paramref name="calledFuncId"/>; refuses loops and chains past the limit.</summary>
    public static IReadOnlyList<string> Extend(FuncRunRequest caller, string calledFuncId)
    {
        var current = caller.Context.FuncId ?? $"{caller.ScriptId}.{caller.FuncName}";
        List<string> chain = [.. caller.Context.FuncChain, current];
        if (chain.Contains(calledFuncId))
        {
            throw new InvalidOperationException($"DFF.FUNC call loop: {calledFuncId} is already in the chain {string.Join(" -> ", chain)}");
        }
        if (chain.Count >= MaxLength)
        {
            throw new InvalidOperationException(
                $"DFF.FUNC call chain is limited to {MaxLength} funcs: {string.Join(" -> ", [.. chain, calledFuncId])}");
        }
        return chain;
    }
}
