using System.Text.Json;
using OrleansFunc.Engine.Protocol;

namespace OrleansFunc.PythonWorker;

/// <summary>
/// The worker's end of the channel, used synchronously from Python's main thread. Python calls
/// <see cref="Callback"/> to ask the silo something in the middle of a run.
/// </summary>
/// <remarks>
/// The silo may queue further run requests while one runs (its pool pipelines a few per worker),
/// so reads are buffered (several frames in one system call) and run requests that arrive while
/// a callback waits for its reply are kept for later, in order. Each result is written at once,
/// never held back to share a write with the next: if the next run crashed the worker, a result
/// already computed would be lost.
/// </remarks>
internal sealed class WorkerChannel(Stream stream) : IDisposable
{
    private readonly FrameBuffer _frames = new();
    private readonly Queue<Frame> _laterFrames = new();

    public void Send(MessageKind kind, string body) =>
        FrameCodec.Write(stream, new Frame(kind, body));

    /// <summary>The next request for the main loop; null when the silo closed the channel.</summary>
    public Frame? Receive() => _laterFrames.TryDequeue(out var frame) ? frame : Read();

    /// <summary>Sends a callback and waits for its reply; returns the reply body (JSON).</summary>
    public string Callback(string name, string argumentsJson)
    {
        using var arguments = JsonDocument.Parse(argumentsJson);
        Send(MessageKind.Callback, JsonSerializer.Serialize(new Dictionary<string, JsonElement>
        {
            [WorkerMessages.Callback.Name] = JsonSerializer.SerializeToElement(name), [WorkerMessages.Callback.Args] = arguments.RootElement,
        }));
        while (true)
        {
            var reply = Read() ?? throw new EndOfStreamException("The silo closed the channel during a callback");
            switch (reply.Kind)
            {
                case MessageKind.CallbackReply:
                    return reply.Body;
                case MessageKind.Run or MessageKind.SourceRun:
                    _laterFrames.Enqueue(reply);
                    break;
                default:
                    throw new InvalidDataException($"Expected a callback reply, got {reply.Kind}");
            }
        }
    }

    /// <summary>The next frame from the silo (blocking); null when it closed the channel between frames.</summary>
    private Frame? Read()
    {
        Frame frame;
        while (!_frames.TryTake(out frame))
        {
            var read = stream.Read(_frames.FreeSpace());
            if (read == 0)
            {
                return _frames.EndOfChannelDetail is { } broken ? throw new EndOfStreamException(broken) : null;
            }
            _frames.Advance(read);
        }
        return frame;
    }

    public void Dispose() => stream.Dispose();
}
