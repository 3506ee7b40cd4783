using System.Collections.Concurrent;
using OrleansFunc.Tests.Infrastructure;

namespace OrleansFunc.Tests.Hosting;

/// <summary>
/// Four clients making calls one after another until stopped, for the tests that restart or kill parts of a cluster
/// under load. A test waits for a number of answered calls around each event (not for seconds: a loaded machine
/// answers fewer per second), so every phase is known to have been exercised. Disposing it stops the clients (a
/// test that failed half-way leaves none calling for the rest of the run).
/// </summary>
/// <param name="call">Makes one call; gets the client's call number.</param>
/// <param name="answered">Whether an answer counts as answered; default: status 200. Others are failures.</param>
public sealed class SteadyLoad(Func<int, Task<ApiResponse>> call, Func<ApiResponse, bool>? answered = null) : IDisposable
{
    private const int Clients = 4;

    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private int _made;
    private Task? _clients;

    private Task Running => _clients ??= Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(RunClientAsync)));

    private async Task RunClientAsync()
    {
        var n = 0;
        while (!_stop.IsCancellationRequested)
        {
            var answer = await call(n++);
            if (!(answered?.Invoke(answer) ?? answer.Status == 200))
            {
                _failures.Enqueue(answer.Text);
            }
            Interlocked.Increment(ref _made);
        }
    }

    /// <summary>Starts the clients if they are not running, and waits until they have had <paramref name="count"/> more answers.</summary>
    public Task WaitForMoreCallsAsync(int count, string when)
    {
        _ = Running;
        var target = Volatile.Read(ref _made) + count;
        return Eventually.HoldsAsync($"{count} more answered calls {when} ({Volatile.Read(ref _made)} so far, {_failures.Count} failed)",
            () => Volatile.Read(ref _made) >= target, TimeSpan.FromSeconds(90));
    }

    /// <summary>Stops the clients after their calls in flight; how many calls were made and the failures' texts.</summary>
    public async Task<(int Made, IReadOnlyList<string> Failures)> StopAsync()
    {
        _stop.Cancel();
        await Running;
        return (_made, _failures.ToList());
    }

    public void Dispose() => _stop.Cancel();
}
