using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace OrleansFunc.WebFront.Api.Calls;

/// <summary>
/// A query string's fields with their names as sent. ASP.NET's <c>Request.Query</c> matches names whatever their case,
/// so <c>?a=1&amp;A=2</c> would be one field of two values, where DataFlux Func's Express reads two fields.
/// </summary>
public static class QueryFields
{
    /// <summary>The request's fields, read once per request (the call's kwargs, its description and API auth ask).</summary>
    public static IReadOnlyList<KeyValuePair<string, StringValues>> Of(HttpRequest request)
    {
        if (request.QueryString.Value is not { Length: > 1 })
        {
            return [];
        }
        var items = request.HttpContext.Items;
        if (items.TryGetValue(typeof(QueryFields), out var read))
        {
            return (IReadOnlyList<KeyValuePair<string, StringValues>>)read!;
        }
        var fields = Of(request.QueryString);
        items[typeof(QueryFields)] = fields;
        return fields;
    }

    public static IReadOnlyList<KeyValuePair<string, StringValues>> Of(QueryString query)
    {
        if (query.Value is not { Length: > 1 } text)
        {
            return [];
        }
        // In the order first sent, as ASP.NET's own parser (the same decoding: '+' and percent escapes).
        var fields = new FieldsAsSent();
        foreach (var pair in new QueryStringEnumerable(text))
        {
            fields.Add(pair.DecodeName().ToString(), pair.DecodeValue().ToString());
        }
        return fields.ToList();
    }
}
