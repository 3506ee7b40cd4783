namespace OrleansFunc.Cache;

/// <summary>One key of a cache scope: a string, a hash or a list, with an optional expiry.</summary>
internal sealed class CacheEntry
{
    public string? Text { get; set; }

    public Dictionary<string, string>? Hash { get; set; }

    public List<string>? List { get; set; }

    public DateTimeOffset? ExpireAt { get; set; }

    public string TypeName => Text is not null ? "string" : Hash is not null ? "hash" : "list";

    public int Size => (Text?.Length ?? 0) + (Hash?.Sum(p => p.Key.Length + p.Value.Length) ?? 0) + (List?.Sum(v => v.Length) ?? 0);
}
