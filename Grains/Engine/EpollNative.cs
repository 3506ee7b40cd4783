using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace OrleansFunc.Engine;

/// <summary>The few Linux calls <see cref="ChannelPoller"/> makes: epoll(7), eventfd(2) and non-blocking recv(2).</summary>
internal static class EpollNative
{
    public const uint In = 0x001;
    public const uint ReadHangUp = 0x2000;
    public const int EAgain = 11;
    public const int EIntr = 4;

    private const int CloseOnExec = 0x80000;
    private const int EventFdNonBlocking = 0x800;
    private const int ControlAdd = 1;
    private const int ControlDelete = 2;
    private const int DontWait = 0x40;

    // struct epoll_event is packed on x86-64 (12 bytes, data at offset 4); elsewhere it is naturally aligned.
    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    public static int Create() => Check(epoll_create1(CloseOnExec), "epoll_create1");

    public static int CreateEventFd() => Check(eventfd(0, CloseOnExec | EventFdNonBlocking), "eventfd");

    public static void Add(int epoll, int fd, uint events, ulong data)
    {
        Span<byte> entry = stackalloc byte[EventSize];
        WriteEvent(entry, events, data);
        Check(epoll_ctl(epoll, ControlAdd, fd, ref MemoryMarshal.GetReference(entry)), "epoll_ctl(ADD)");
    }

    /// <summary>Removes <paramref name="fd"/>; quiet when it is gone already.</summary>
    public static void Delete(int epoll, int fd)
    {
        Span<byte> unused = stackalloc byte[EventSize];
        epoll_ctl(epoll, ControlDelete, fd, ref MemoryMarshal.GetReference(unused));
    }

    /// <summary>Waits for events into <paramref name="events"/>; the count, or -1 with the error in <paramref name="errno"/>.</summary>
    public static int Wait(int epoll, byte[] events, out int errno)
    {
        var count = epoll_wait(epoll, ref MemoryMarshal.GetArrayDataReference(events), events.Length / EventSize, -1);
        errno = count < 0 ? Marshal.GetLastPInvokeError() : 0;
        return count;
    }

    public static ulong EventData(byte[] events, int index) =>
        BinaryPrimitives.ReadUInt64LittleEndian(events.AsSpan(index * EventSize + DataOffset, 8));

    /// <summary>recv(2) that never blocks: bytes read, 0 at end of stream, or -1 with the error in <paramref name="errno"/>.</summary>
    public static int ReceiveNow(int fd, Span<byte> buffer, out int errno)
    {
        var read = (int)recv(fd, ref MemoryMarshal.GetReference(buffer), buffer.Length, DontWait);
        errno = read < 0 ? Marshal.GetLastPInvokeError() : 0;
        return read;
    }

    public static void Signal(int eventFd)
    {
        Span<byte> one = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(one, 1);
        write(eventFd, ref MemoryMarshal.GetReference(one), 8);
    }

    public static void Close(int fd) => close(fd);

    private static void WriteEvent(Span<byte> entry, uint events, ulong data)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(entry, events);
        BinaryPrimitives.WriteUInt64LittleEndian(entry[DataOffset..], data);
    }

    private static int Check(int result, string call) =>
        result >= 0 ? result : throw new IOException($"{call} failed: errno {Marshal.GetLastPInvokeError()}");

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_create1(int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_ctl(int epoll, int operation, int fd, ref byte eventEntry);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_wait(int epoll, ref byte events, int maxEvents, int timeoutMs);

    [DllImport("libc", SetLastError = true)]
    private static extern int eventfd(uint initialValue, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern nint recv(int fd, ref byte buffer, nint length, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern nint write(int fd, ref byte buffer, nint length);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
