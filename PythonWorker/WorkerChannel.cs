using System.Text.Json;
using OrleansFunc.Engine.Protocol;

namespace OrleansFunc.PythonWorker;

/// <summary>
/// The worker's end of the channel, used synchronously from Python's main thread. Python calls
/// <see cref="Callback"/> to ask the silo something in the middle of a run.
/// </summary>
internal sealed class WorkerChannel(Stream stream) : IDisposable
{
    public void Send(MessageKind kind, string body) =>
        FrameCodec.Write(stream, new Frame(kind, body));

    public Frame? Receive() => FrameCodec.Read(stream);

    /// <summary>Sends a callback and waits for its reply; returns the reply body (JSON).</summary>
    public string Callback(string name, string argumentsJson)
    {
        Send(MessageKind.Callback, JsonSerializer.Serialize(new { name, args = JsonDocument.Parse(argumentsJson).RootElement }));
        var reply = Receive() ?? throw new EndOfStreamException("The silo closed the channel during a callback");
        return reply.Kind == MessageKind.CallbackReply
            ? reply.Body
            : throw new InvalidDataException($"Expected a callback reply, got {reply.Kind}");
    }

    public void Dispose() => stream.Dispose();
}
