using OrleansFunc.Engine;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>
/// A script that writes to its worker's channel itself: the silo reads a frame no worker sends, kills
/// the worker, and says so (not "crashed"), and the lane goes on with a fresh worker.
/// </summary>
public sealed class ProtocolErrorTests : IAsyncLifetime
{
    private const string Code =
        "import os, struct, time\n\n" +
        "def forge():\n" +
        "    frame = struct.pack('>I', 6) + bytes([99]) + b'hello'\n" +
        "    for fd in os.listdir('/proc/self/fd'):\n" +
        "        try:\n" +
        "            if os.readlink('/proc/self/fd/' + fd).startswith('socket:'):\n" +
        "                os.write(int(fd), frame)\n" +
        "        except OSError:\n" +
        "            pass\n" +
        "    time.sleep(10)\n" +
        "    return 'not stopped'\n\n" +
        "def hello():\n    return 'hello'\n";

    private PythonEngine _engine = null!;

    public async Task InitializeAsync() => _engine = await TestEngines.StartAsync("protocol-error");

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private Task<FuncRunResult> Run(string func) =>
        _engine.RunAsync(new FuncRunRequest(Lane.Sync, RunMode.Run, "forge__test", Code, "forge-md5", func, "{}", 30, TestEngines.NoContext),
            TestEngines.NoCallbacks);

    [Fact]
    public async Task AForgedFrame_EndsTheRunAsAProtocolError_AndTheNextRunWorks()
    {
        var forged = await Run("forge");
        var next = await Run("hello");

        Assert.Equal("WorkerProtocolError", forged.Error?.Type);
        Assert.Equal(KillReason.ProtocolError, forged.KillReason);
        Assert.Contains("unexpected frame", forged.Error!.Message);
        Assert.Equal("\"hello\"", next.ResultJson);
    }
}
