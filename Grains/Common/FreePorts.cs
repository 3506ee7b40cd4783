using System.Net;
using System.Net.Sockets;

namespace OrleansFunc.Common;

/// <summary>A TCP port on loopback that nothing listens on right now.</summary>
public static class FreePorts
{
    public static int Find()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
