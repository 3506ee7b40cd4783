using System.Reflection;
using System.Text.Json.Serialization;

namespace OrleansFunc.Common;

/// <summary>
/// The names an enum's values have on the wire and in storage: their <see cref="JsonStringEnumMemberNameAttribute"/>,
/// read once, so a kind's name is written where the kind is declared and nowhere else.
/// </summary>
public static class WireNames<TEnum> where TEnum : struct, Enum
{
    private static readonly Dictionary<TEnum, string> Names = Enum.GetValues<TEnum>().ToDictionary(
        value => value,
        value => typeof(TEnum).GetField(value.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? value.ToString());

    private static readonly Dictionary<string, TEnum> Values = Names.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> All => Names.Values;

    public static string Of(TEnum value) => Names[value];

    /// <summary>The value named <paramref name="name"/>, for names this code wrote itself (stored ones).</summary>
    public static TEnum Parse(string name) =>
        TryParse(name, out var value) ? value : throw new InvalidDataException($"'{name}' names no {typeof(TEnum).Name}");

    public static bool TryParse(string? name, out TEnum value) => Values.TryGetValue(name ?? "", out value);
}
