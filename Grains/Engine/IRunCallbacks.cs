using System.Text.Json;

namespace OrleansFunc.Engine;

/// <summary>
/// Answers the callbacks of one run (<see cref="Protocol.WorkerMessages.Callbacks"/>) with what only
/// the cluster knows; handed by the caller through the engine and its pool to the worker that asks.
/// </summary>
public interface IRunCallbacks
{
    /// <summary>The answer as JSON; an exception is the error the script sees.</summary>
    Task<string> AnswerAsync(string name, JsonElement args);
}
