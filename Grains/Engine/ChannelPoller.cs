using System.Collections.Concurrent;
using System.ComponentModel;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using OrleansFunc.Engine.Protocol;

namespace OrleansFunc.Engine;

/// <summary>
/// Reads every worker channel of the engine on one thread of its own: epoll(7) over the channels'
/// sockets, each readable one drained with non-blocking reads and its frames handed to its sink right
/// there. A result so completes its run, and the caller's code up to its first wait, without the hop
/// from .NET's socket engine to the thread pool, which costs more than the run of a small func; and
/// the sockets are watched for input only, so a worker reading its requests wakes nobody here.
/// Sinks must not block: this thread serves every worker. (The sockets are written as usual, with
/// <see cref="NetworkStream"/>: a write that completes at once never involves .NET's socket engine.)
/// </summary>
public sealed partial class ChannelPoller : IDisposable
{
    private const ulong StopSignal = 0;
    private const int MaxReadsPerTurn = 16;

    private readonly int _epoll;
    private readonly int _stopEvent;
    private readonly Thread _thread;
    private readonly ConcurrentDictionary<ulong, Channel> _channels = new();
    private readonly ILogger _logger;
    private long _lastId;
    private int _disposed;

    public ChannelPoller(ILogger logger)
    {
        _logger = logger;
        _epoll = EpollNative.Create();
        _stopEvent = EpollNative.CreateEventFd();
        EpollNative.Add(_epoll, _stopEvent, EpollNative.In, StopSignal);
        _thread = new Thread(Poll) { IsBackground = true, Name = "Python worker channels" };
        _thread.Start();
    }

    /// <summary>Reads <paramref name="socket"/> from now on, until it ends; <paramref name="sink"/> gets its frames.</summary>
    internal void Add(Socket socket, IChannelSink sink)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var id = (ulong)Interlocked.Increment(ref _lastId);
        var channel = new Channel(socket, sink);
        _channels[id] = channel;
        try
        {
            EpollNative.Add(_epoll, channel.Fd, EpollNative.In | EpollNative.ReadHangUp, id);
        }
        catch
        {
            _channels.TryRemove(id, out _);
            channel.Release();
            throw;
        }
    }

    private void Poll()
    {
        var events = new byte[EpollNative.EventSize * 64];
        while (true)
        {
            var count = EpollNative.Wait(_epoll, events, out var errno);
            if (count < 0)
            {
                if (errno == EpollNative.EIntr)
                {
                    continue;
                }
                // Nothing would read the channels any more: end them, so their runs fail instead of hanging.
                LogPollFailed(_logger, errno);
                EndAll($"the engine could not watch its worker channels (epoll_wait: errno {errno})");
                return;
            }
            for (var i = 0; i < count; i++)
            {
                var id = EpollNative.EventData(events, i);
                if (id == StopSignal)
                {
                    return;
                }
                if (_channels.TryGetValue(id, out var channel))
                {
                    Drain(id, channel);
                }
            }
        }
    }

    /// <summary>
    /// Reads what the socket has, up to a bound so that one busy channel cannot hold up the others
    /// (epoll is level-triggered: what is left, or comes later, is reported again).
    /// </summary>
    private void Drain(ulong id, Channel channel)
    {
        try
        {
            for (var reads = 0; reads < MaxReadsPerTurn; reads++)
            {
                var space = channel.Frames.FreeSpace();
                var read = EpollNative.ReceiveNow(channel.Fd, space, out var errno);
                if (read > 0)
                {
                    channel.Frames.Advance(read);
                    while (channel.Frames.TryTake(out var frame))
                    {
                        channel.Sink.OnFrame(frame);
                    }
                    if (read < space.Length)
                    {
                        return;
                    }
                }
                else if (read == 0)
                {
                    End(id, channel, channel.Frames.EndOfChannelDetail);
                    return;
                }
                else if (errno == EpollNative.EAgain)
                {
                    return;
                }
                else if (errno != EpollNative.EIntr)
                {
                    End(id, channel, $"reading the channel failed: {new Win32Exception(errno).Message}");
                    return;
                }
            }
        }
        catch (Exception broken)
        {
            if (broken is not InvalidDataException)
            {
                LogSinkFailed(_logger, broken);
            }
            End(id, channel, broken.Message, violatedProtocol: broken is InvalidDataException);
        }
    }

    private void End(ulong id, Channel channel, string? brokenDetail, bool violatedProtocol = false)
    {
        if (!_channels.TryRemove(id, out _))
        {
            return;
        }
        EpollNative.Delete(_epoll, channel.Fd);
        channel.Release();
        try
        {
            channel.Sink.OnClosed(brokenDetail, violatedProtocol);
        }
        catch (Exception failure)
        {
            LogSinkFailed(_logger, failure);
        }
    }

    private void EndAll(string reason)
    {
        foreach (var (id, channel) in _channels)
        {
            End(id, channel, reason);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        EpollNative.Signal(_stopEvent);
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }
        // The engine disposes its workers first; any channel left is ended for its runs' sake.
        EndAll("the engine stopped");
        EpollNative.Close(_epoll);
        EpollNative.Close(_stopEvent);
    }

    /// <summary>A socket being read: its descriptor is held open until it leaves the poller.</summary>
    private sealed class Channel
    {
        private readonly SafeSocketHandle _handle;

        public Channel(Socket socket, IChannelSink sink)
        {
            _handle = socket.SafeHandle;
            var added = false;
            _handle.DangerousAddRef(ref added);
            Fd = (int)_handle.DangerousGetHandle();
            Sink = sink;
        }

        public int Fd { get; }

        public IChannelSink Sink { get; }

        public FrameBuffer Frames { get; } = new();

        public void Release() => _handle.DangerousRelease();
    }
}
