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

    /// <summary>The bytes before a frame's body: its length and its kind.</summary>
    public const int HeaderBytes = 5;

    public static async Task WriteAsync(Stream stream, Frame frame, CancellationToken cancellationToken = default)
    {
        await stream.WriteAsync(Encode(frame), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>A frame written in place (see <see cref="WriteHeader"/>): sent as it is.</summary>
    public static async Task WriteAsync(Stream stream, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken = default)
    {
        await stream.WriteAsync(frame, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>Blocking write, for the worker's single-threaded loop.</summary>
    public static void Write(Stream stream, Frame frame)
    {
        stream.Write(Encode(frame));
        stream.Flush();
    }

    /// <summary>
    /// Fills the header of a frame whose body was written in place after <see cref="HeaderBytes"/> reserved bytes
    /// (<paramref name="frame"/> is header and body), so the body is never copied.
    /// </summary>
    public static void WriteHeader(Span<byte> frame, MessageKind kind)
    {
        var bodyLength = frame.Length - HeaderBytes;
        if (bodyLength + 1 > MaxFrameBytes)
        {
            throw new InvalidDataException($"Frame of {bodyLength} bytes is over the limit of {MaxFrameBytes}");
        }
        BinaryPrimitives.WriteInt32BigEndian(frame, bodyLength + 1);
        frame[4] = (byte)kind;
    }

    private static byte[] Encode(Frame frame)
    {
        var buffer = new byte[HeaderBytes + Encoding.UTF8.GetByteCount(frame.Body)];
        Encoding.UTF8.GetBytes(frame.Body, buffer.AsSpan(HeaderBytes));
        WriteHeader(buffer, frame.Kind);
        return buffer;
    }

    /// <summary>The length a frame header announces, refused when it is out of bounds.</summary>
    public static int CheckedLength(ReadOnlySpan<byte> header)
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        return length is < 1 or > MaxFrameBytes ? throw new InvalidDataException($"Bad frame length {length}") : length;
    }

    /// <summary>A frame from its payload (kind byte, then the UTF-8 body).</summary>
    public static Frame Decode(ReadOnlySpan<byte> payload) => new((MessageKind)payload[0], Encoding.UTF8.GetString(payload[1..]));
}
