namespace OrleansFunc.Engine.Protocol;

/// <summary>
/// The kinds of frame on the private channel between a silo and a Python worker. One run is one
/// <see cref="Run"/> frame and one <see cref="Result"/> frame, with any number of callback
/// round trips in between. Bodies are UTF-8 JSON. This file is compiled into both sides.
/// </summary>
internal enum MessageKind : byte
{
    /// <summary>Worker → silo, once, when Python is initialised: <c>{pid, pythonVersion}</c>.</summary>
    Ready = 1,

    /// <summary>Silo → worker: a run request (see dff_runtime.py for its fields).</summary>
    Run = 2,

    /// <summary>Worker → silo: the outcome of the run in progress.</summary>
    Result = 3,

    /// <summary>Worker → silo, during a run: <c>{name, args}</c>, a question only the cluster can answer.</summary>
    Callback = 4,

    /// <summary>Silo → worker: the answer to the last callback, <c>{ok, value, error}</c>.</summary>
    CallbackReply = 5,
}
