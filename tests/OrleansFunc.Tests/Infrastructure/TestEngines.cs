using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansFunc.Engine;
using OrleansFunc.Hosting;

namespace OrleansFunc.Tests.Infrastructure;

/// <summary>A Python engine of a test's own, without a host: one worker per lane, a data folder of its own.</summary>
public static class TestEngines
{
    /// <summary>Starts the engine once <paramref name="configure"/> has changed the settings (the lanes are set before it).</summary>
    public static async Task<PythonEngine> StartAsync(string name, Action<OrleansFuncOptions>? configure = null)
    {
        var options = new OrleansFuncOptions { DataFolder = TestPaths.NewTempFolder(name) };
        foreach (var lane in Enum.GetValues<Lane>())
        {
            options.Engine.Lanes[lane] = new LaneSettings { Workers = 1, DefaultTimeoutSeconds = 30 };
        }
        configure?.Invoke(options);
        var engine = new PythonEngine(options, NullLoggerFactory.Instance);
        await engine.StartAsync(CancellationToken.None);
        return engine;
    }

    /// <summary>A context that gives the script no <c>_DFF_*</c> values of its own (a run without a task).</summary>
    public static readonly RunContext NoContext = new(TaskOrigin.Direct, "test");

    /// <summary>The callbacks of a run whose script asks the silo for nothing: any question fails the test.</summary>
    public static readonly IRunCallbacks NoCallbacks = Answering((name, _) => throw new InvalidOperationException(name));

    /// <summary>Callbacks answered by <paramref name="answer"/>.</summary>
    public static IRunCallbacks Answering(Func<string, JsonElement, Task<string>> answer) => new DelegateCallbacks(answer);

    private sealed class DelegateCallbacks(Func<string, JsonElement, Task<string>> answer) : IRunCallbacks
    {
        public Task<string> AnswerAsync(string name, JsonElement args) => answer(name, args);
    }
}
