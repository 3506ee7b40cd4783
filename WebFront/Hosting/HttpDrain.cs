using Microsoft.AspNetCore.Hosting.Server;

namespace OrleansFunc.WebFront.Hosting;

/// <summary>
/// On stop, the HTTP server stops first: it takes no new connection (a load balancer sends them to
/// another WebFront) and lets the requests in flight end, while the engine and the silo they run on
/// are still up. Registered after every other hosted service, so stopped before them; the web host's
/// own stop of the server afterwards finds it stopped.
/// </summary>
public sealed class HttpDrain(IServer server) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => server.StopAsync(cancellationToken);
}
