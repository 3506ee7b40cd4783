namespace OrleansFunc.Engine.Protocol;

/// <summary>
/// Reads frames from a channel through one buffer of its own: under load several frames arrive in
/// one read, and each is decoded without another system call or allocation of the reader. The silo
/// reads asynchronously; the worker's single-threaded loop synchronously.
/// </summary>
internal sealed class FrameReader(Stream stream)
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>The next frame, or null when the other side closed the channel between frames.</summary>
    public async ValueTask<Frame?> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryTakeFrame(out var frame))
            {
                return frame;
            }
            MakeRoom();
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                return _start == _end ? null : throw new EndOfStreamException("The channel closed in the middle of a frame");
            }
            _end += read;
        }
    }

    /// <summary>Blocking <see cref="ReadAsync"/>.</summary>
    public Frame? Read()
    {
        while (true)
        {
            if (TryTakeFrame(out var frame))
            {
                return frame;
            }
            MakeRoom();
            var read = stream.Read(_buffer.AsSpan(_end));
            if (read == 0)
            {
                return _start == _end ? null : throw new EndOfStreamException("The channel closed in the middle of a frame");
            }
            _end += read;
        }
    }

    private bool TryTakeFrame(out Frame frame)
    {
        frame = default;
        var available = _end - _start;
        if (available < 4)
        {
            return false;
        }
        var length = FrameCodec.CheckedLength(_buffer.AsSpan(_start, 4));
        if (available < 4 + length)
        {
            EnsureCapacity(4 + length);
            return false;
        }
        frame = FrameCodec.Decode(_buffer.AsSpan(_start + 4, length));
        _start += 4 + length;
        if (_start == _end)
        {
            _start = _end = 0;
        }
        return true;
    }

    /// <summary>Moves a partial frame to the front so the next read has the rest of the buffer.</summary>
    private void MakeRoom()
    {
        if (_start > 0 && _end == _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
    }

    /// <summary>A frame larger than the buffer grows it (frames are bounded by FrameCodec.MaxFrameBytes).</summary>
    private void EnsureCapacity(int frameBytes)
    {
        if (frameBytes <= _buffer.Length)
        {
            return;
        }
        var larger = new byte[frameBytes];
        Buffer.BlockCopy(_buffer, _start, larger, 0, _end - _start);
        _end -= _start;
        _start = 0;
        _buffer = larger;
    }
}
