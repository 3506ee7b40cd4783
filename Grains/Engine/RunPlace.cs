namespace OrleansFunc.Engine;

/// <summary>Where a func call may run (see <see cref="FuncRunner"/>).</summary>
public enum RunPlace
{
    /// <summary>Where a worker is free now, here first; else in a line, this silo's or another's in turn (a synchronous call).</summary>
    Anywhere,

    /// <summary>On this silo, in its line if need be; not at all once it stops (a queued task its dispatcher sent here).</summary>
    InLineHere,

    /// <summary>On another silo with a worker free now, or not at all (a queued task that would otherwise wait here).</summary>
    ElsewhereIfFree,
}
