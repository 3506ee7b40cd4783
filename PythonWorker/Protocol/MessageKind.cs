namespace OrleansFunc.Engine.Protocol;

/// <summary>
/// The kinds of frame on the private channel between a silo and a Python worker. One run is one
/// <see cref="Run"/> frame and one <see cref="Result"/> frame, with any number of callback
/// round trips in between. Bodies are UTF-8 JSON. This file is compiled into both sides.
/// </summary>
internal enum MessageKind : byte
{
    /// <summary>Worker → silo, once, when Python is initialised (<see cref="WorkerMessages.Ready"/>).</summary>
    Ready = 1,

    /// <summary>Silo → worker: a run request (<see cref="WorkerMessages.Request"/>).</summary>
    Run = 2,

    /// <summary>Worker → silo: the outcome of the run in progress (<see cref="WorkerMessages.Result"/>).</summary>
    Result = 3,

    /// <summary>Worker → silo, during a run: a question only the cluster can answer (<see cref="WorkerMessages.Callback"/>).</summary>
    Callback = 4,

    /// <summary>Silo → worker: the answer to the last callback (<see cref="WorkerMessages.CallbackReply"/>).</summary>
    CallbackReply = 5,

    /// <summary>
    /// Worker → silo: a <see cref="Result"/> of a run that forked a process. Only then does the silo
    /// ask /proc whether the run left children behind (which it must not).
    /// </summary>
    ForkedResult = 6,

    /// <summary>
    /// Silo → worker: a run of the platform's own code against a data source (its check, a debug-panel
    /// query, its structure), answered by a <see cref="Result"/>. Its request has the data source
    /// modes and no script: <see cref="WorkerMessages.Request"/> without the script's fields.
    /// </summary>
    SourceRun = 7,
}
