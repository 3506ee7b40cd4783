using OrleansFunc.Errors;
using OrleansFunc.WebFront.Api.Calls;
using Xunit;

namespace OrleansFunc.Tests.Rules;

/// <summary>Caller kwargs whose strings are all text pass as sent; a lone surrogate escape (no character) is refused.</summary>
public sealed class CallArgumentsTextRulesTests
{
    [Theory]
    [InlineData("""{"a": "plain"}""")]
    [InlineData("""{"a": "\u51fd\u6570", "b": ["\ud83d\ude00"], "\ud83d\ude00": {"c": "\uD83D\uDE00"}}""")] // an escaped CJK text and emoji pairs
    [InlineData("""{"a": "\\ud800 is written out, not an escape"}""")]
    public void KwargsOfText_PassAsSent(string json) => Assert.Equal(json, CallArguments.Kwargs(json));

    [Theory]
    [InlineData("""{"a": "\ud800"}""")]
    [InlineData("""{"a": ["x", {"b": "\udc00"}]}""")]
    [InlineData("""{"\ud83d": 1}""")]
    [InlineData("""{"a": "\ude00\ud83d"}""")]
    [InlineData("\"{\\\"a\\\": \\\"\\\\ud800\\\"}\"")] // kwargs sent as a JSON string holding JSON, as forms send it
    public void KwargsWithALoneSurrogate_AreRefused(string json)
    {
        var refused = Assert.Throws<DffException>(() => CallArguments.Kwargs(json));
        Assert.Contains("lone surrogate", refused.Message);
    }
}
