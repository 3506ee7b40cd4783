using System.Buffers.Binary;
using System.Text;

namespace OrleansFunc.Engine.Protocol;

/// <summary>One frame: its kind and its UTF-8 JSON body.</summary>
internal readonly record struct Frame(MessageKind Kind, string Body);

/// <summary>
/// Frames on a stream: a 4-byte big-endian length (of kind + body), the kind byte, the body.
/// Compiled into both the silo and the worker.
/// </summary>
internal static class FrameCodec
{
    /// <summary>Larger frames are refused: a result that big must go through a file instead.</summary>
    public const int MaxFrameBytes = 64 * 1024 * 1024;

    public static async Task WriteAsync(Stream stream, Frame frame, CancellationToken cancellationToken = default)
    {
        var bodyLength = Encoding.UTF8.GetByteCount(frame.Body);
        if (bodyLength + 1 > MaxFrameBytes)
        {
            throw new InvalidDataException($"Frame of {bodyLength} bytes is over the limit of {MaxFrameBytes}");
        }
        var buffer = new byte[5 + bodyLength];
        BinaryPrimitives.WriteInt32BigEndian(buffer, bodyLength + 1);
        buffer[4] = (byte)frame.Kind;
        Encoding.UTF8.GetBytes(frame.Body, buffer.AsSpan(5));
        await stream.WriteAsync(buffer, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>The next frame, or null when the other side closed the stream.</summary>
    public static async Task<Frame?> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var header = new byte[4];
        if (!await ReadExactlyOrEndAsync(stream, header, cancellationToken))
        {
            return null;
        }
        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length < 1 || length > MaxFrameBytes)
        {
            throw new InvalidDataException($"Bad frame length {length}");
        }
        var payload = new byte[length];
        if (!await ReadExactlyOrEndAsync(stream, payload, cancellationToken))
        {
            throw new EndOfStreamException("The channel closed in the middle of a frame");
        }
        return new Frame((MessageKind)payload[0], Encoding.UTF8.GetString(payload, 1, length - 1));
    }

    private static async Task<bool> ReadExactlyOrEndAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                return read == 0 ? false : throw new EndOfStreamException("The channel closed in the middle of a frame");
            }
            read += n;
        }
        return true;
    }
}
