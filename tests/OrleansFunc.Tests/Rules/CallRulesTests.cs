using System.Text.Json;
using OrleansFunc.Engine;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.WebFront.Api.Calls;
using Xunit;

namespace OrleansFunc.Tests.Rules;

/// <summary>What a caller may set on a call: the options of its origin, and the kwargs its template leaves open.</summary>
public sealed class CallRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 8, 0, 0, TimeSpan.Zero);

    private static CallerOptions Read(string json, TaskOrigin origin) =>
        CallerOptions.Read(JsonDocument.Parse(json).RootElement, origin, Now);

    private static string Refused(Action call)
    {
        var refused = Assert.Throws<DffException>(call);
        Assert.Equal(ErrorKind.BadRequest, refused.Kind);
        return refused.Message;
    }

    [Theory]
    [InlineData(TaskOrigin.AuthLink, """{"unbox": false, "returnType": "jsonDumps", "execMode": "sync"}""")]
    [InlineData(TaskOrigin.Direct, """{"timeout": 5, "apiTimeout": 10, "execMode": "sync"}""")]
    [InlineData(TaskOrigin.Batch, """{"timeout": 5, "execMode": "async", "saveResult": true, "delay": 60}""")]
    public void EachOrigin_TakesItsOwnOptions(TaskOrigin origin, string options) => Read(options, origin);

    [Theory]
    [InlineData(TaskOrigin.Direct, """{"unbox": false}""", "unbox")]
    [InlineData(TaskOrigin.Batch, """{"apiTimeout": 5}""", "apiTimeout")]
    [InlineData(TaskOrigin.AuthLink, """{"delay": 5}""", "delay")]
    [InlineData(TaskOrigin.AuthLink, """{"queue": "heavy"}""", "queue")]
    public void AnOptionTheOriginDoesNotTake_IsRefusedByName(TaskOrigin origin, string options, string name) =>
        Assert.Contains($"'{name}'", Refused(() => Read(options, origin)));

    [Theory]
    [InlineData(TaskOrigin.AuthLink, "async")]
    [InlineData(TaskOrigin.Batch, "sync")]
    public void ExecMode_MustBeTheOriginsOwn(TaskOrigin origin, string mode) =>
        Assert.Contains("execMode", Refused(() => Read($$"""{"execMode": "{{mode}}"}""", origin)));

    [Fact]
    public void ApiTimeout_CapsTheTimeout()
    {
        Assert.Equal(10, Read("""{"timeout": 60, "apiTimeout": 10}""", TaskOrigin.Direct).Run.Timeout);
        Assert.Equal(5, Read("""{"timeout": 5, "apiTimeout": 10}""", TaskOrigin.Direct).Run.Timeout);
        Assert.Null(Read("{}", TaskOrigin.Direct).Run.Timeout);
    }

    [Fact]
    public void DelayAndEta_SetWhenABatchRunMayStart_TheLaterOfBoth()
    {
        Assert.Equal(Now.AddSeconds(90), Read("""{"delay": 90}""", TaskOrigin.Batch).RunAfter);
        Assert.Equal(Now.AddHours(2), Read("""{"eta": "2026-12-04T10:00:00Z"}""", TaskOrigin.Batch).RunAfter);
        Assert.Equal(Now.AddHours(2), Read("""{"eta": "2026-12-04T10:00:00Z", "delay": 60}""", TaskOrigin.Batch).RunAfter);
        Assert.Null(Read("{}", TaskOrigin.Batch).RunAfter);
    }

    [Theory]
    [InlineData("""{"timeout": 0}""")]
    [InlineData("""{"timeout": "5"}""")]
    [InlineData("""{"delay": -1}""")]
    [InlineData("""{"eta": "tomorrow"}""")]
    public void ABadValue_IsRefused(string options) => Refused(() => Read(options, TaskOrigin.Batch));

    [Fact]
    public void Kwargs_PlaceholdersTakeTheCallersValue_FixedValuesStay_OthersPassThrough()
    {
        var merged = CallRules.MergeKwargs("""{"a": "INPUT_BY_CALLER", "b": "FROM_PARAMETER", "fixed": 1}""", """{"a": 2, "extra": true}""", "s__m.f");

        Assert.Equal("""{"fixed":1,"a":2,"extra":true}""", merged);
    }

    [Fact]
    public void Kwargs_AFixedValue_CannotBeOverridden()
    {
        var refused = Assert.Throws<DffException>(() => CallRules.MergeKwargs("""{"fixed": 1}""", """{"fixed": 2}""", "s__m.f"));

        Assert.Equal("EClientBadRequest.FixedKwargsOverridden", refused.Reason);
    }
}
