using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrleansFunc.Tests.Security;

/// <summary>
/// An attacker's listener on 127.0.0.1 that plays the first steps of a PostgreSQL server: it declines
/// SSL and GSS encryption and asks for the password in clear text, recording every connection and
/// every byte a client sends, so a test can tell whether a stored password travelled to it.
/// </summary>
public sealed class CapturingListener : IAsyncDisposable
{
    private const int SslRequestCode = 80877103;
    private const int GssEncRequestCode = 80877104;
    private static readonly byte[] AskForCleartextPassword = [(byte)'R', 0, 0, 0, 8, 0, 0, 0, 3];

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<byte[]> _received = [];
    private readonly Task _accepting;
    private int _connections;

    public CapturingListener()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Everything clients sent, as Latin-1 text (a password is readable in it).</summary>
    public string ReceivedText
    {
        get
        {
            lock (_received)
            {
                return string.Concat(_received.Select(bytes => Encoding.Latin1.GetString(bytes)));
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception stopped) when (stopped is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var stream = client.GetStream();
        var buffer = new byte[8192];
        try
        {
            for (int read; (read = await stream.ReadAsync(buffer, timeout.Token)) > 0;)
            {
                var chunk = buffer[..read];
                lock (_received)
                {
                    _received.Add(chunk);
                }
                if (read == 8 && BinaryPrimitives.ReadInt32BigEndian(chunk.AsSpan(4)) is SslRequestCode or GssEncRequestCode)
                {
                    await stream.WriteAsync("N"u8.ToArray(), timeout.Token);
                }
                else if (chunk[0] == (byte)'p')
                {
                    return; // the password arrived: that is all an attacker wants
                }
                else
                {
                    await stream.WriteAsync(AskForCleartextPassword, timeout.Token);
                }
            }
        }
        catch (Exception ended) when (ended is OperationCanceledException or IOException or SocketException)
        {
            // the client gave up or the test ended
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
