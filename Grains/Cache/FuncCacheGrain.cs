using System.Text.Json;
using System.Text.RegularExpressions;
using OrleansFunc.Errors;

namespace OrleansFunc.Cache;

public sealed class FuncCacheGrain(TimeProvider clock) : Grain, IFuncCacheGrain
{
    private const int MaxKeys = 100_000;
    private const int MaxEntryChars = 10 * 1024 * 1024;

    private readonly Dictionary<string, CacheEntry> _entries = new(StringComparer.Ordinal);
    private DateTimeOffset _listedAt = DateTimeOffset.MinValue;

    /// <summary>How often a scope that holds keys tells the scope directory again (which is memory only).</summary>
    private static readonly TimeSpan ListingInterval = TimeSpan.FromMinutes(10);

    public Task<IReadOnlyList<CacheKeyInfo>> DescribeAsync(string pattern)
    {
        var scope = this.GetPrimaryKeyString();
        var now = clock.GetUtcNow();
        var keys = Keys(string.IsNullOrEmpty(pattern) ? "*" : pattern);
        return Task.FromResult<IReadOnlyList<CacheKeyInfo>>(keys.Select(key =>
        {
            var entry = _entries[key];
            var ttl = entry.ExpireAt is { } at ? (int)Math.Ceiling((at - now).TotalSeconds) : -1;
            var value = entry.Text ?? (entry.Hash is not null ? JsonSerializer.Serialize(entry.Hash) : JsonSerializer.Serialize(entry.List));
            return new CacheKeyInfo(scope, key, entry.TypeName, ttl, value.Length > 200 ? value[..200] + "…" : value);
        }).ToList());
    }

    public Task<string> RunAsync(string command, string key, IReadOnlyList<string> args)
    {
        // A cache that holds values stays active; an empty one may be collected.
        if (_entries.Count > 0)
        {
            DelayDeactivation(TimeSpan.FromDays(1));
        }
        var result = Run(command.ToLowerInvariant(), key, args);
        return Task.FromResult(JsonSerializer.Serialize(result));
    }

    private object? Run(string command, string key, IReadOnlyList<string> args) => command switch
    {
        "set" => Set(key, Arg(args, 0), OptionalSeconds(args, 1), args.Count > 2 && args[2] == "true"),
        "get" => Live(key)?.Text ?? RequireKind<string?>(key, "string", null),
        "getset" => GetSet(key, Arg(args, 0)),
        "delete" => new[] { key }.Concat(args).Count(k => _entries.Remove(k)),
        "exists" => Live(key) is not null,
        "type" => Live(key)?.TypeName,
        "expire" => Expire(key, OptionalSeconds(args, 0)),
        "ttl" => Live(key) is { } entry ? entry.ExpireAt is { } at ? (int)Math.Ceiling((at - clock.GetUtcNow()).TotalSeconds) : -1 : -2,
        "incr" or "incrby" => IncrementBy(key, args.Count > 0 ? ParseInteger(args[0]) : 1),
        "keys" => Keys(string.IsNullOrEmpty(key) ? "*" : key),
        "hset" => HashSet(key, Arg(args, 0), Arg(args, 1), args.Count > 2 && args[2] == "true"),
        "hget" => Hash(key)?.GetValueOrDefault(Arg(args, 0)),
        "hgetall" => Hash(key) ?? new Dictionary<string, string>(),
        "hkeys" => Hash(key) is { } fields ? Matching(fields.Keys, args.Count > 0 && args[0].Length > 0 ? args[0] : "*") : [],
        "hmget" => Hash(key) is { } values ? args.Distinct().ToDictionary(f => f, f => values.GetValueOrDefault(f)) : args.Distinct().ToDictionary(f => f, _ => (string?)null),
        "hmset" => HashSetMany(key, args),
        "hincr" or "hincrby" => HashIncrementBy(key, Arg(args, 0), args.Count > 1 ? ParseInteger(args[1]) : 1),
        "hdel" => Hash(key) is { } hash ? args.Count(hash.Remove) : 0,
        "lpush" or "rpush" => Push(key, args, atHead: command == "lpush"),
        "lpop" or "rpop" => Pop(key, fromHead: command == "lpop"),
        "llen" => List(key)?.Count ?? 0,
        "lrange" => Range(List(key) ?? [], (int)ParseInteger(Arg(args, 0)), (int)ParseInteger(Arg(args, 1))),
        "ltrim" => Trim(key, (int)ParseInteger(Arg(args, 0)), (int)ParseInteger(Arg(args, 1))),
        "rpoplpush" => Pop(key, fromHead: false) is { } moved ? PushAndReturn(Arg(args, 0), moved) : null,
        _ => throw DffException.BadRequest("UnknownCacheCommand", $"DFF.CACHE has no command '{command}'"),
    };

    private bool Set(string key, string value, int? expires, bool onlyIfMissing)
    {
        if (onlyIfMissing && Live(key) is not null)
        {
            return false;
        }
        Store(key, new CacheEntry { Text = value, ExpireAt = ExpiryOf(expires) });
        return true;
    }

    private string? GetSet(string key, string value)
    {
        var previous = Live(key)?.Text;
        Store(key, new CacheEntry { Text = value });
        return previous;
    }

    private bool Expire(string key, int? seconds)
    {
        if (Live(key) is not { } entry)
        {
            return false;
        }
        if (seconds is <= 0)
        {
            // As Redis's EXPIRE, which 1.x's cache was: a time already past deletes the key.
            return _entries.Remove(key);
        }
        entry.ExpireAt = ExpiryOf(seconds);
        return true;
    }

    private long IncrementBy(string key, long step)
    {
        var entry = Live(key);
        var current = entry?.Text is { } text ? ParseInteger(text) : RequireKind(key, "string", 0L);
        var next = current + step;
        Store(key, new CacheEntry { Text = next.ToString(), ExpireAt = entry?.ExpireAt });
        return next;
    }

    private List<string> Keys(string pattern) => Matching(_entries.Keys.Where(k => Live(k) is not null).ToList(), pattern);

    /// <summary>The names that match a Redis glob (<c>*</c> and <c>?</c>), in order.</summary>
    private static List<string> Matching(IEnumerable<string> names, string pattern)
    {
        var regex = new Regex("^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$");
        return names.Where(name => regex.IsMatch(name)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>HMSET: field, value, field, value, ...</summary>
    private bool HashSetMany(string key, IReadOnlyList<string> fieldsAndValues)
    {
        if (fieldsAndValues.Count == 0 || fieldsAndValues.Count % 2 != 0)
        {
            throw DffException.BadRequest("MissingCacheArgument", "DFF.CACHE.hmset needs a dict of fields and values");
        }
        for (var i = 0; i < fieldsAndValues.Count; i += 2)
        {
            HashSet(key, fieldsAndValues[i], fieldsAndValues[i + 1], onlyIfMissing: false);
        }
        return true;
    }

    private long HashIncrementBy(string key, string field, long step)
    {
        var current = Hash(key)?.GetValueOrDefault(field) is { } text ? ParseInteger(text) : 0;
        HashSet(key, field, (current + step).ToString(), onlyIfMissing: false);
        return current + step;
    }

    /// <summary>Redis LTRIM: keeps the inclusive range, negative bounds counting from the end.</summary>
    private bool Trim(string key, int start, int stop)
    {
        if (List(key) is not { } list)
        {
            return true;
        }
        var kept = Range(list, start, stop);
        list.Clear();
        list.AddRange(kept);
        if (list.Count == 0)
        {
            _entries.Remove(key);
        }
        return true;
    }

    private string PushAndReturn(string key, string value)
    {
        Push(key, [value], atHead: true);
        return value;
    }

    private bool HashSet(string key, string field, string value, bool onlyIfMissing)
    {
        var hash = Hash(key) ?? Store(key, new CacheEntry { Hash = new(StringComparer.Ordinal) }).Hash!;
        if (onlyIfMissing && hash.ContainsKey(field))
        {
            return false;
        }
        hash[field] = value;
        RequireSize(key, _entries[key]);
        return true;
    }

    private int Push(string key, IReadOnlyList<string> values, bool atHead)
    {
        var list = List(key) ?? Store(key, new CacheEntry { List = [] }).List!;
        foreach (var value in values)
        {
            if (atHead)
            {
                list.Insert(0, value);
            }
            else
            {
                list.Add(value);
            }
        }
        RequireSize(key, _entries[key]);
        return list.Count;
    }

    private string? Pop(string key, bool fromHead)
    {
        if (List(key) is not { Count: > 0 } list)
        {
            return null;
        }
        var index = fromHead ? 0 : list.Count - 1;
        var value = list[index];
        list.RemoveAt(index);
        return value;
    }

    /// <summary>Redis LRANGE: inclusive bounds, negative ones count from the end.</summary>
    private static List<string> Range(List<string> list, int start, int stop)
    {
        start = start < 0 ? Math.Max(list.Count + start, 0) : start;
        stop = stop < 0 ? list.Count + stop : Math.Min(stop, list.Count - 1);
        return start > stop ? [] : list.GetRange(start, stop - start + 1);
    }

    private Dictionary<string, string>? Hash(string key) => Live(key) is { } entry ? entry.Hash ?? RequireKind(key, "hash", (Dictionary<string, string>?)null) : null;

    private List<string>? List(string key) => Live(key) is { } entry ? entry.List ?? RequireKind(key, "list", (List<string>?)null) : null;

    /// <summary>The entry unless it has expired (expired entries are dropped when met).</summary>
    private CacheEntry? Live(string key)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return null;
        }
        if (entry.ExpireAt is { } at && at <= clock.GetUtcNow())
        {
            _entries.Remove(key);
            return null;
        }
        return entry;
    }

    private CacheEntry Store(string key, CacheEntry entry)
    {
        RequireSize(key, entry);
        if (!_entries.ContainsKey(key) && _entries.Count >= MaxKeys)
        {
            throw DffException.BadRequest("CacheFull", $"A DFF.CACHE scope holds at most {MaxKeys} keys");
        }
        _entries[key] = entry;
        if (clock.GetUtcNow() - _listedAt > ListingInterval)
        {
            _listedAt = clock.GetUtcNow();
            _ = GrainFactory.GetGrain<ICacheScopeDirectoryGrain>(ICacheScopeDirectoryGrain.Key).AddAsync(this.GetPrimaryKeyString());
        }
        return entry;
    }

    private static void RequireSize(string key, CacheEntry entry)
    {
        if (entry.Size > MaxEntryChars)
        {
            throw DffException.BadRequest("CacheValueTooLarge", $"DFF.CACHE key '{key}' would hold more than {MaxEntryChars} characters");
        }
    }

    private T RequireKind<T>(string key, string kind, T whenMissing) =>
        _entries.ContainsKey(key)
            ? throw DffException.BadRequest("WrongCacheType", $"DFF.CACHE key '{key}' does not hold a {kind}")
            : whenMissing;

    private DateTimeOffset? ExpiryOf(int? seconds) => seconds is > 0 ? clock.GetUtcNow().AddSeconds(seconds.Value) : null;

    private static string Arg(IReadOnlyList<string> args, int index) =>
        index < args.Count ? args[index] : throw DffException.BadRequest("MissingCacheArgument", $"DFF.CACHE command needs argument {index + 1}");

    private static int? OptionalSeconds(IReadOnlyList<string> args, int index) =>
        index < args.Count && args[index].Length > 0 ? (int)ParseInteger(args[index]) : null;

    private static long ParseInteger(string text) =>
        long.TryParse(text, out var value) ? value : throw DffException.BadRequest("NotAnInteger", $"DFF.CACHE value '{text}' is not an integer");
}
