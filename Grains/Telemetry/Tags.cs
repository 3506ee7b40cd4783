using OrleansFunc.Engine;

namespace OrleansFunc.Telemetry;

/// <summary>Label values shared by several instruments, spelled once.</summary>
internal static class Tags
{
    public static KeyValuePair<string, object?> Lane(Lane lane) => new("lane", lane.WireName());
}
