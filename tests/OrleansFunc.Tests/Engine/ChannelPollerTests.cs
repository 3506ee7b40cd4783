using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansFunc.Engine;
using OrleansFunc.Engine.Protocol;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>
/// The engine's channel poller on its own, over real Unix sockets: frames however the bytes are cut,
/// the reason a channel ended, and one broken channel leaving the others served.
/// </summary>
public sealed class ChannelPollerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly ChannelPoller _poller = new(NullLogger.Instance);
    private readonly string _folder = TestPaths.NewTempFolder("channel-poller");
    private readonly List<Socket> _sockets = [];

    public void Dispose()
    {
        _poller.Dispose();
        _sockets.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task SeveralFramesInOneWrite_AreAllHandedOn_WithoutWaitingForMore()
    {
        var (writer, sink) = Connect();
        var frames = Enumerable.Range(1, 5).Select(n => new Frame(MessageKind.Result, $"{{\"n\": {n}}}")).ToArray();
        writer.Send(Encode(frames));

        await Eventually.HoldsAsync("all five frames handed on", () => sink.Frames.Count >= frames.Length, Patience, TimeSpan.FromMilliseconds(5));
        Assert.Equal(frames, sink.Frames);
        Assert.False(sink.Closed.Task.IsCompleted);
    }

    [Fact]
    public async Task FramesCutAnywhere_ArriveWholeAndInOrder_ThenTheCloseBetweenFrames()
    {
        var (writer, sink) = Connect();
        var frames = new[]
        {
            new Frame(MessageKind.Ready, "{}"),
            new Frame(MessageKind.Result, "{\"n\": 1}"),
            new Frame(MessageKind.Result, new string('x', 3 * 1024 * 1024)),
            new Frame(MessageKind.Callback, "{\"name\": \"ü\"}"),
        };
        var bytes = Encode(frames);
        // Cut into pieces of 1 to 100,000 bytes: headers and bodies split across reads.
        var random = new Random(7);
        for (var offset = 0; offset < bytes.Length;)
        {
            var piece = Math.Min(bytes.Length - offset, random.Next(1, 100_000));
            writer.Send(bytes.AsSpan(offset, piece));
            offset += piece;
            if (random.Next(4) == 0)
            {
                await Task.Delay(1);
            }
        }
        writer.Shutdown(SocketShutdown.Send);

        Assert.Null(await sink.Closed.Task.WaitAsync(Patience));
        Assert.Equal(frames, sink.Frames);
    }

    [Fact]
    public async Task AChannelThatClosesInTheMiddleOfAFrame_EndsWithThatReason()
    {
        var (writer, sink) = Connect();
        var bytes = Encode([new Frame(MessageKind.Result, "{\"n\": 1}"), new Frame(MessageKind.Result, "{\"n\": 2}")]);
        writer.Send(bytes.AsSpan(0, bytes.Length - 3));
        writer.Shutdown(SocketShutdown.Send);

        Assert.Equal("the channel closed in the middle of a frame", await sink.Closed.Task.WaitAsync(Patience));
        Assert.Equal(new[] { new Frame(MessageKind.Result, "{\"n\": 1}") }, sink.Frames);
    }

    [Fact]
    public async Task AFrameLengthOutOfBounds_EndsTheChannel()
    {
        var (writer, sink) = Connect();
        writer.Send(new byte[] { 0x7f, 0xff, 0xff, 0xff, 1 });

        Assert.Contains("Bad frame length", await sink.Closed.Task.WaitAsync(Patience));
        Assert.Empty(sink.Frames);
    }

    [Fact]
    public async Task ASinkThatThrows_EndsItsOwnChannel_AndTheOthersAreStillRead()
    {
        var (brokenWriter, broken) = Connect(failOn: MessageKind.Callback);
        var (writer, sink) = Connect();
        brokenWriter.Send(Encode([new Frame(MessageKind.Callback, "{}")]));
        Assert.Equal("the sink refused Callback", await broken.Closed.Task.WaitAsync(Patience));

        writer.Send(Encode([new Frame(MessageKind.Result, "{\"after\": true}")]));
        writer.Shutdown(SocketShutdown.Send);
        Assert.Null(await sink.Closed.Task.WaitAsync(Patience));
        Assert.Equal(new[] { new Frame(MessageKind.Result, "{\"after\": true}") }, sink.Frames);
    }

    /// <summary>A connected pair of Unix sockets: the poller reads one end, the test writes the other.</summary>
    private (Socket Writer, RecordingSink Sink) Connect(MessageKind? failOn = null)
    {
        var path = Path.Combine(_folder, $"{_sockets.Count}.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var writer = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        writer.Connect(new UnixDomainSocketEndPoint(path));
        var read = listener.Accept();
        _sockets.AddRange([writer, read]);
        var sink = new RecordingSink(failOn);
        _poller.Add(read, sink);
        return (writer, sink);
    }

    private static byte[] Encode(IEnumerable<Frame> frames)
    {
        using var bytes = new MemoryStream();
        foreach (var frame in frames)
        {
            FrameCodec.Write(bytes, frame);
        }
        return bytes.ToArray();
    }

    private sealed class RecordingSink(MessageKind? failOn) : IChannelSink
    {
        public ConcurrentQueue<Frame> Frames { get; } = new();

        public TaskCompletionSource<string?> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnFrame(Frame frame)
        {
            if (frame.Kind == failOn)
            {
                throw new InvalidDataException($"the sink refused {frame.Kind}");
            }
            Frames.Enqueue(frame);
        }

        public void OnClosed(string? brokenDetail, bool violatedProtocol) => Closed.TrySetResult(brokenDetail);
    }
}
