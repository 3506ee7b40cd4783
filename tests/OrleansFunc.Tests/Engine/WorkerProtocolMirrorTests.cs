using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using OrleansFunc.Common;
using OrleansFunc.Engine;
using OrleansFunc.Engine.Protocol;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>
/// The worker protocol is declared twice, once per language: <c>WorkerMessages</c> (and
/// <see cref="RunMode"/>) for .NET, <c>dff_protocol.py</c> for the runtime. These fail when the two
/// name different fields, modes, callbacks or context values.
/// </summary>
public sealed class WorkerProtocolMirrorTests
{
    private static readonly Lazy<JsonElement> Python = new(ReadPythonDeclarations);

    /// <summary>The constants of one nested class of <see cref="WorkerMessages"/>.</summary>
    private static string[] Declared(string messageClass) =>
        typeof(WorkerMessages).GetNestedType(messageClass)!.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order().ToArray();

    private static string[] Mirrored(string name) =>
        Python.Value.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).Order().ToArray();

    [Theory]
    [InlineData("Request", "REQUEST_FIELDS")]
    [InlineData("Context", "CONTEXT_FIELDS")]
    [InlineData("Ready", "READY_FIELDS")]
    [InlineData("Result", "RESULT_FIELDS")]
    [InlineData("Error", "ERROR_FIELDS")]
    [InlineData("Callbacks", "CALLBACKS")]
    [InlineData("Callback", "CALLBACK_FIELDS")]
    [InlineData("CallbackReply", "CALLBACK_REPLY_FIELDS")]
    public void EachMessage_HasTheSameFieldsOnBothSides(string messageClass, string pythonName) =>
        Assert.Equal(Declared(messageClass), Mirrored(pythonName));

    [Fact]
    public void RunModes_AreTheSameOnBothSides()
    {
        Assert.Equal(
            Enum.GetValues<RunMode>().Where(m => m.RunsScript()).Select(WireNames<RunMode>.Of).Order(),
            Mirrored("SCRIPT_MODES"));
        Assert.Equal(
            Enum.GetValues<RunMode>().Where(m => !m.RunsScript()).Select(WireNames<RunMode>.Of).Order(),
            Mirrored("ADMIN_MODES"));
    }

    [Fact]
    public void ArgumentTypes_AreTheSameOnBothSides() =>
        Assert.Equal(WireNames<OrleansFunc.Funcs.ArgumentType>.All.Order(), Mirrored("ARGUMENT_TYPES"));

    [Fact]
    public void RetryLimits_AreTheSameOnBothSides()
    {
        var python = Python.Value.GetProperty("RETRY_LIMITS").EnumerateObject()
            .ToDictionary(f => f.Name, f => (f.Value[0].GetDouble(), f.Value[1].GetDouble()));
        Assert.Equal(RetryPolicy.Limits.OrderBy(l => l.Key), python.OrderBy(l => l.Key));
    }

    [Fact]
    public void Statuses_AreTheSameOnBothSides() =>
        Assert.Equal(new[] { FuncRunStatus.Failure, FuncRunStatus.Success, FuncRunStatus.Timeout }, Mirrored("STATUSES"));

    [Fact]
    public void EachContextField_IsOneDffVariable_AndNoTwoShareOne()
    {
        var variables = Python.Value.GetProperty("CONTEXT_VARIABLES").EnumerateObject().Select(v => v.Value.GetString()!).ToList();

        Assert.All(variables, v => Assert.StartsWith("_DFF_", v));
        Assert.Equal(variables.Count, variables.Distinct().Count());
    }

    private static JsonElement ReadPythonDeclarations()
    {
        const string Dump =
            "import json, sys\n" +
            "sys.path.insert(0, sys.argv[1])\n" +
            "import dff_protocol as p\n" +
            "names = {n: v for n, v in vars(p).items() if n.isupper()}\n" +
            "names['CONTEXT_FIELDS'] = list(p.CONTEXT_VARIABLES)\n" +
            "print(json.dumps(names))\n";
        var start = new ProcessStartInfo("/usr/bin/python3", ["-I", "-c", Dump, Path.Combine(AppContext.BaseDirectory, "Runtime")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var python = Process.Start(start)!;
        var output = python.StandardOutput.ReadToEnd();
        var errors = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, errors);
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
