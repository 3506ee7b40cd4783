using System.Text.Json.Serialization;

namespace OrleansFunc.Engine;

/// <summary>What a worker does with a request (the <c>mode</c> field; dff_protocol.py has the same list).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunMode>))]
public enum RunMode
{
    /// <summary>Runs one func of a script with keyword arguments.</summary>
    [JsonStringEnumMemberName("run")] Run,

    /// <summary>The publish check: runs the script's top level, lists its exported funcs.</summary>
    [JsonStringEnumMemberName("check")] Check,

    /// <summary>The publish check, then the script's own top-level <c>test_*</c> functions: a failing one fails the check at its line.</summary>
    [JsonStringEnumMemberName("test")] Test,

    /// <summary>Connects to a data source with a config (before it is saved).</summary>
    [JsonStringEnumMemberName("sourceCheck")] SourceCheck,

    /// <summary>A command typed in a data source's debug panel.</summary>
    [JsonStringEnumMemberName("sourceQuery")] SourceQuery,

    /// <summary>A data source's databases, tables or columns.</summary>
    [JsonStringEnumMemberName("sourceBrowse")] SourceBrowse,
}

public static class RunModes
{
    /// <summary>Whether the mode runs a script's code (and so belongs to the script's set); the others run the platform's own.</summary>
    public static bool RunsScript(this RunMode mode) => mode is RunMode.Run or RunMode.Check or RunMode.Test;
}
