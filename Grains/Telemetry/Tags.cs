using OrleansFunc.Engine;

namespace OrleansFunc.Telemetry;

/// <summary>Label values shared by several instruments, spelled once.</summary>
internal static class Tags
{
    private static readonly Dictionary<Lane, string> LaneNames = Enum.GetValues<Lane>().ToDictionary(lane => lane, lane => lane.ToString().ToLowerInvariant());

    public static string NameOf(Lane lane) => LaneNames[lane];

    public static KeyValuePair<string, object?> Lane(Lane lane) => new("lane", LaneNames[lane]);
}
