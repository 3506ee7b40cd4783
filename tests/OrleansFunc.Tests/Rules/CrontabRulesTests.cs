using OrleansFunc.Crontabs;
using OrleansFunc.Errors;
using Xunit;

namespace OrleansFunc.Tests.Rules;

/// <summary>A crontab config's fields, and when a plan fires, at chosen instants and time zones.</summary>
public sealed class CrontabRulesTests
{
    private static CrontabConfigFields Fields(string? kwargs = null, string? timeZone = null, int? taskRecordLimit = null) =>
        new("s__m.f", kwargs, "* * * * *", timeZone, null, false, null, taskRecordLimit, null);

    private static string RefusedReason(CrontabConfigFields fields) =>
        Assert.Throws<DffException>(() => CrontabConfigRules.RequireValid(fields, maxTaskRecords: 1000)).Reason;

    [Fact]
    public void ValidFields_Pass() => CrontabConfigRules.RequireValid(Fields("""{"n": 1}""", "Asia/Shanghai", 10), 1000);

    [Theory]
    [InlineData("INPUT_BY_CALLER")]
    [InlineData("FROM_PARAMETER")]
    public void ACallerPlaceholder_IsRefused_ForNobodyCallsACrontab(string placeholder) =>
        Assert.Equal("EClientBadRequest.PlaceholderInCrontab", RefusedReason(Fields($$"""{"n": "{{placeholder}}"}""")));

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void ATaskRecordLimit_OutOfRange_IsRefused(int limit) =>
        Assert.Equal("EClientBadRequest.InvalidTaskRecordLimit", RefusedReason(Fields(taskRecordLimit: limit)));

    [Fact]
    public void AnUnknownTimeZone_IsRefused() =>
        Assert.StartsWith("EClientBadRequest.", RefusedReason(Fields(timeZone: "Mars/Olympus_Mons")));

    [Fact]
    public void APlan_FiresAtTheNextMatchingMinute_InItsTimeZone()
    {
        var shanghai = CrontabExpressions.ResolveTimeZone("Asia/Shanghai");
        var plan = new CrontabPlan("0 9 * * *", false, CrontabExpressions.Parse("0 9 * * *"), shanghai, [0], 30);

        // 08:30 UTC is 16:30 in Shanghai: the next 09:00 there is 01:00 UTC the next day.
        var next = plan.NextAfter(new DateTimeOffset(2026, 12, 4, 8, 30, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 12, 5, 1, 0, 0, TimeSpan.Zero), next);
    }

    [Fact]
    public void APlan_NeverFiresTwiceForOneMinute()
    {
        var plan = new CrontabPlan("* * * * *", false, CrontabExpressions.Parse("* * * * *"), TimeZoneInfo.Utc, [0], 30);
        var minute = new DateTimeOffset(2026, 12, 4, 8, 30, 0, TimeSpan.Zero);

        Assert.Equal(minute.AddMinutes(1), plan.NextAfter(minute));
        Assert.Equal(minute.AddMinutes(1), plan.NextAfter(minute.AddSeconds(59.9)));
    }
}
