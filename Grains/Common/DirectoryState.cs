namespace OrleansFunc.Common;

/// <summary>Stored state of a listing grain: entries by ID.</summary>
[GenerateSerializer, Alias("of.DirectoryState")]
public sealed class DirectoryState<T>
{
    [Id(0)] public SortedDictionary<string, T> Entries { get; set; } = new(StringComparer.Ordinal);
}
