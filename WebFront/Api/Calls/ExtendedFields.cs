using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;

namespace OrleansFunc.WebFront.Api.Calls;

/// <summary>
/// The fields of a query string or a form as DataFlux Func's Express reads them with its "extended" parser (qs): a
/// field sent twice is a list, <c>a[]=</c> a list, <c>a[0]=</c> a list by position (up to 20), <c>a[b]=</c> an object,
/// five levels deep, at most 1,000 fields; every value a string. A caller that sends <c>?tag=x&amp;tag=y</c> or
/// <c>?user[name]=x</c> gets the same kwargs and <c>_DFF_HTTP_REQUEST['query']</c> as from DataFlux Func.
/// </summary>
/// <remarks>
/// Follows qs's own steps (combine repeated names, parse each name's brackets, merge, drop the holes of sparse lists),
/// including its odd corners (a plain value merged into an object becomes a key set to <c>true</c>), so that a func
/// moved from DataFlux Func gets what it got there. Unlike qs, names such as <c>constructor</c> are kept:
/// qs drops them to protect JavaScript objects, which Python dicts do not need. Multipart forms are read the same way:
/// DataFlux Func's multer (append-field) gives the same lists and objects, and differs only in corners such as
/// <c>a[100000]=</c>, a list that long.
/// </remarks>
public static partial class ExtendedFields
{
    private const int MaxDepth = 5;
    private const int MaxListIndex = 20;
    private const int MaxFields = 1000;

    /// <summary>The fields as a JSON object (kwargs, a form's body).</summary>
    public static JsonObject Read(IEnumerable<KeyValuePair<string, StringValues>> fields)
    {
        if (!AllPlain(fields))
        {
            return (JsonObject)ToNode(Parse(fields))!;
        }
        var plain = new JsonObject();
        foreach (var (name, value) in fields)
        {
            plain[name] = value.ToString();
        }
        return plain;
    }

    /// <summary>Writes the fields as a JSON object; plain ones (one value each, no brackets) without building a tree.</summary>
    public static void Write(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, StringValues>> fields)
    {
        if (!AllPlain(fields))
        {
            ToNode(Parse(fields))!.WriteTo(json);
            return;
        }
        json.WriteStartObject();
        foreach (var (name, value) in fields)
        {
            json.WriteString(name, value.ToString());
        }
        json.WriteEndObject();
    }

    private static bool AllPlain(IEnumerable<KeyValuePair<string, StringValues>> fields)
    {
        var count = 0;
        foreach (var (name, value) in fields)
        {
            // A name that starts with a digit is an index JavaScript orders first; an empty one is dropped.
            if (value.Count != 1 || name.Length == 0 || char.IsAsciiDigit(name[0]) || name.Contains('[') || name == "__proto__" || ++count > MaxFields)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A list as JavaScript keeps it: positions never set are holes, dropped at the end.</summary>
    private sealed class FieldList : List<object?>
    {
        public static readonly object Hole = new();

        public void SetAt(int index, object value)
        {
            while (Count <= index)
            {
                Add(Hole);
            }
            this[index] = value;
        }

        public bool Has(int index) => index < Count && !ReferenceEquals(this[index], Hole);
    }

    /// <summary>An object: its keys keep the order they were first set in.</summary>
    private sealed class FieldMap() : OrderedDictionary<string, object>(StringComparer.Ordinal);

    private static FieldMap Parse(IEnumerable<KeyValuePair<string, StringValues>> fields)
    {
        object merged = new FieldMap();
        var taken = 0;
        // qs merges the names in the order of a JavaScript object's keys.
        foreach (var (name, values) in InJavaScriptOrder(fields, field => field.Key))
        {
            if (name.Length == 0 || values.Count == 0)
            {
                continue;
            }
            if ((taken += values.Count) > MaxFields)
            {
                break;
            }
            object value = values.Count == 1 ? values[0] ?? "" : Combined(values);
            merged = Merge(merged, Nest(Chain(name), value));
        }
        return (FieldMap)Compact(merged);
    }

    private static FieldList Combined(StringValues values)
    {
        var list = new FieldList();
        foreach (var value in values)
        {
            list.Add(value ?? "");
        }
        return list;
    }

    [GeneratedRegex(@"\[[^\[\]]*\]")]
    private static partial Regex Segment();

    /// <summary>The steps of a name: <c>a[b][]</c> → <c>a</c>, <c>[b]</c>, <c>[]</c>; past five brackets the rest is one key.</summary>
    private static List<string> Chain(string name)
    {
        var chain = new List<string>();
        var segment = Segment().Match(name);
        var parent = segment.Success ? name[..segment.Index] : name;
        if (parent.Length > 0)
        {
            chain.Add(parent);
        }
        for (var depth = 0; segment.Success; segment = segment.NextMatch())
        {
            if (depth++ == MaxDepth)
            {
                chain.Add("[" + name[segment.Index..] + "]");
                break;
            }
            chain.Add(segment.Value);
        }
        return chain;
    }

    /// <summary>The value put at the end of its chain of keys, innermost first.</summary>
    private static object Nest(List<string> chain, object value)
    {
        var leaf = value;
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            var root = chain[i];
            if (root == "[]")
            {
                leaf = leaf as FieldList ?? new FieldList { leaf };
                continue;
            }
            var bracketed = root.Length >= 2 && root[0] == '[' && root[^1] == ']';
            var key = bracketed ? root[1..^1] : root;
            if (bracketed && int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index.ToString(CultureInfo.InvariantCulture) == key && index <= MaxListIndex)
            {
                var list = new FieldList();
                list.SetAt(index, leaf);
                leaf = list;
                continue;
            }
            var map = new FieldMap();
            if (key != "__proto__")
            {
                map[key] = leaf;
            }
            leaf = map;
        }
        return leaf;
    }

    /// <summary>qs's <c>utils.merge</c>.</summary>
    private static object Merge(object target, object source)
    {
        if (source is string text)
        {
            if (text.Length == 0)
            {
                return target;
            }
            switch (target)
            {
                case FieldList list:
                    list.Add(text);
                    return list;
                case FieldMap map:
                    map[text] = true;
                    return map;
                default:
                    return new FieldList { target, text };
            }
        }
        if (target is not (FieldList or FieldMap))
        {
            var joined = new FieldList { target };
            if (source is FieldList items)
            {
                joined.AddRange(items);
            }
            else
            {
                joined.Add(source);
            }
            return joined;
        }
        if (target is FieldList targetList && source is FieldList sourceList)
        {
            for (var i = 0; i < sourceList.Count; i++)
            {
                var item = sourceList[i]!;
                if (ReferenceEquals(item, FieldList.Hole))
                {
                    continue;
                }
                if (!targetList.Has(i))
                {
                    targetList.SetAt(i, item);
                }
                else if (targetList[i] is FieldList or FieldMap && item is FieldList or FieldMap)
                {
                    targetList[i] = Merge(targetList[i]!, item);
                }
                else
                {
                    targetList.Add(item);
                }
            }
            return targetList;
        }
        var into = target as FieldMap ?? AsMap((FieldList)target);
        foreach (var (key, value) in Entries(source))
        {
            into[key] = into.TryGetValue(key, out var existing) ? Merge(existing, value) : value;
        }
        return into;
    }

    private static FieldMap AsMap(FieldList list)
    {
        var map = new FieldMap();
        foreach (var (key, value) in Entries(list))
        {
            map[key] = value;
        }
        return map;
    }

    private static IEnumerable<(string Key, object Value)> Entries(object source)
    {
        if (source is FieldMap map)
        {
            foreach (var (key, value) in map)
            {
                yield return (key, value);
            }
            yield break;
        }
        var list = (FieldList)source;
        for (var i = 0; i < list.Count; i++)
        {
            if (list.Has(i))
            {
                yield return (i.ToString(CultureInfo.InvariantCulture), list[i]!);
            }
        }
    }

    /// <summary>Lists lose their holes, at every level.</summary>
    private static object Compact(object value)
    {
        switch (value)
        {
            case FieldList list:
                var dense = new FieldList();
                foreach (var item in list)
                {
                    if (!ReferenceEquals(item, FieldList.Hole))
                    {
                        dense.Add(Compact(item!));
                    }
                }
                return dense;
            case FieldMap map:
                for (var i = 0; i < map.Count; i++)
                {
                    map.SetAt(i, Compact(map.GetAt(i).Value));
                }
                return map;
            default:
                return value;
        }
    }

    private static JsonNode? ToNode(object value) => value switch
    {
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        FieldList list => new JsonArray([.. list.Select(item => ToNode(item!))]),
        FieldMap map => ToObject(map),
        _ => throw new InvalidOperationException($"Unexpected field value {value.GetType().Name}"),
    };

    private static JsonObject ToObject(FieldMap map)
    {
        var result = new JsonObject();
        foreach (var (key, value) in InJavaScriptOrder(map, entry => entry.Key))
        {
            result[key] = ToNode(value);
        }
        return result;
    }

    /// <summary>A JavaScript object's key order: keys that are list positions first, by number, then the rest as set.</summary>
    private static IEnumerable<T> InJavaScriptOrder<T>(IEnumerable<T> entries, Func<T, string> key) =>
        entries.Where(entry => IsPosition(key(entry))).OrderBy(entry => uint.Parse(key(entry), CultureInfo.InvariantCulture))
            .Concat(entries.Where(entry => !IsPosition(key(entry))));

    private static bool IsPosition(string key) =>
        uint.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number < uint.MaxValue
        && number.ToString(CultureInfo.InvariantCulture) == key;
}
