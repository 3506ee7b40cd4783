using Microsoft.Extensions.Primitives;

namespace OrleansFunc.WebFront.Api.Calls;

/// <summary>
/// A query's or form's fields by their names as sent (ordinal, as Express reads them), in the order first sent; a name
/// sent again adds a value. Past <paramref name="countLimit"/> values the form is refused, as ASP.NET's reader refuses it.
/// </summary>
internal sealed class FieldsAsSent(int countLimit = int.MaxValue)
{
    private readonly Dictionary<string, StringValues> _fields = new(StringComparer.Ordinal);
    private int _count;

    public void Add(string name, string value)
    {
        if (++_count > countLimit)
        {
            throw new InvalidDataException($"Form value count limit {countLimit} exceeded.");
        }
        _fields[name] = _fields.TryGetValue(name, out var earlier) ? StringValues.Concat(earlier, value) : new StringValues(value);
    }

    public IReadOnlyList<KeyValuePair<string, StringValues>> ToList() => _fields.ToList();
}
