namespace OrleansFunc.Engine.Protocol;

/// <summary>
/// Frames cut out of the bytes read from a channel, through one buffer per channel: under load
/// several frames arrive in one read, and each is decoded without another system call. The reading
/// itself is the owner's: the worker's loop reads its stream, the silo's <c>ChannelPoller</c> its sockets.
/// </summary>
internal sealed class FrameBuffer
{
    private const int UsualSize = 64 * 1024;

    private byte[] _buffer = new byte[UsualSize];
    private int _start;
    private int _end;

    /// <summary>
    /// What it means that the channel ends now: null between frames, else the reason it broke (bytes
    /// read are not yet a whole frame).
    /// </summary>
    public string? EndOfChannelDetail => _end > _start ? "the channel closed in the middle of a frame" : null;

    /// <summary>Where the next read goes (never empty); <see cref="Advance"/> says how much it filled.</summary>
    public Span<byte> FreeSpace()
    {
        if (_start > 0 && _end == _buffer.Length)
        {
            // Move a partial frame to the front so the read has the rest of the buffer.
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        return _buffer.AsSpan(_end);
    }

    public void Advance(int read) => _end += read;

    /// <summary>The next whole frame, if the bytes read hold one.</summary>
    public bool TryTake(out Frame frame)
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
            if (_buffer.Length > UsualSize)
            {
                // A large frame grew it: not kept for the channel's lifetime.
                _buffer = new byte[UsualSize];
            }
        }
        return true;
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
