using System.Text.Json;
using OrleansFunc.Engine;
using OrleansFunc.Hosting;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>
/// The worker channels as the engine's poller reads them: results far larger than its buffer and
/// than a socket's, many at once from several workers, each whole and to its own caller.
/// </summary>
public sealed class ChannelTests : IAsyncLifetime
{
    private const string Code = "def text(n):\n    return '%d:' % n + 'x' * (n * 250000)\n";

    private PythonEngine _engine = null!;

    public async Task InitializeAsync() =>
        _engine = await TestEngines.StartAsync("channels", options =>
        {
            options.Engine.Lanes[Lane.Sync].Workers = 2;
            options.Engine.Lanes[Lane.Sync].RunsQueuedPerWorker = 3;
        });

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private Task<FuncRunResult> Run(int n) =>
        _engine.RunAsync(new FuncRunRequest(Lane.Sync, RunMode.Run, "channel__test", Code, "channel-md5", "text", $"{{\"n\": {n}}}", 30,
            TestEngines.NoContext), TestEngines.NoCallbacks);

    [Fact]
    public async Task LargeAndSmallResults_FromSeveralWorkersAtOnce_ComeBackWholeToTheirCallers()
    {
        // Up to 5 MB each (the poller's buffer is 64 KB), mixed with tiny ones.
        var sizes = Enumerable.Range(0, 40).Select(i => i % 4 == 0 ? 20 - i / 4 : i % 3).ToList();
        var results = await Task.WhenAll(sizes.Select(Run));
        for (var i = 0; i < sizes.Count; i++)
        {
            Assert.True(results[i].IsSuccess, results[i].Error?.Message);
            var text = JsonSerializer.Deserialize<string>(results[i].ResultJson!)!;
            Assert.StartsWith($"{sizes[i]}:", text);
            Assert.Equal($"{sizes[i]}:".Length + sizes[i] * 250000, text.Length);
        }
    }
}
