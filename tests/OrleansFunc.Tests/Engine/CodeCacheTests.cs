using System.Text.Json;
using OrleansFunc.Engine;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>
/// Run requests leave the code out: a worker compiles each script version once, after asking for
/// its code, and tracebacks always show the lines of the version that ran.
/// </summary>
public sealed class CodeCacheTests
{
    private const string VersionA = "def f():\n    raise ValueError('from a')\n";
    private const string VersionB = "def f():\n    x = 1\n    raise ValueError('from b')\n";

    [Fact]
    public async Task AlternatingVersions_RunFromTheWorkersCache_WithTheirOwnTracebackLines()
    {
        await using var engine = await TestEngines.StartAsync("code-cache");
        var asked = new List<string>();
        Task<string> Callbacks(string name, JsonElement args)
        {
            asked.Add(name);
            throw new InvalidOperationException(name);
        }
        Task<FuncRunResult> Run(string code, string md5) =>
            engine.RunAsync(new FuncRunRequest(Lane.Sync, RunMode.Run, "cache__test", code, md5, "f", "{}", 30, TestEngines.NoContext), TestEngines.Answering(Callbacks));

        var first = await Run(VersionA, "md5-a");
        var second = await Run(VersionB, "md5-b");
        var third = await Run(VersionA, "md5-a");

        Assert.Equal(2, first.Error!.Line);
        Assert.Contains("raise ValueError('from a')", first.Error.Traceback);
        Assert.Equal(3, second.Error!.Line);
        Assert.Contains("raise ValueError('from b')", second.Error.Traceback);
        Assert.Contains("raise ValueError('from a')", third.Error!.Traceback);
        // The engine answers "runCode" itself; the caller's callbacks never see it.
        Assert.Empty(asked);
    }
}
