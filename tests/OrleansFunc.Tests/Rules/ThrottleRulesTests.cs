using System.Text.Json;
using OrleansFunc.AuthLinks;
using OrleansFunc.Errors;
using Xunit;

namespace OrleansFunc.Tests.Rules;

/// <summary>
/// An auth link's throttle windows at chosen instants: fixed windows aligned to the epoch, every
/// call counted (refused ones too), a refusal naming the rule and the seconds to wait.
/// </summary>
public sealed class ThrottleRulesTests
{
    private const long MinuteStart = 1_800_000_000 / 60 * 60;

    private static JsonElement Refusal(Action call)
    {
        var refused = Assert.Throws<DffException>(call);
        Assert.Equal("EClientRateLimit.AuthLinkThrottling", refused.Reason);
        return JsonDocument.Parse(refused.DetailJson!).RootElement;
    }

    [Fact]
    public void AWindow_AdmitsItsLimit_RefusesTheNextCall_WithTheSecondsLeft()
    {
        var windows = new ThrottleWindows(new ThrottleState());
        var rule = new Throttling(ByMinute: 3);

        for (var second = 0; second < 3; second++)
        {
            windows.Admit(rule, MinuteStart + second);
        }
        var detail = Refusal(() => windows.Admit(rule, MinuteStart + 45));

        Assert.Equal("byMinute", detail.GetProperty("rule").GetString());
        Assert.Equal(4, detail.GetProperty("currentCount").GetInt32());
        Assert.Equal(15, detail.GetProperty("waitSeconds").GetInt32());
    }

    [Fact]
    public void TheNextWindow_StartsAtZero_EvenAfterRefusals()
    {
        var windows = new ThrottleWindows(new ThrottleState());
        var rule = new Throttling(ByMinute: 1);
        windows.Admit(rule, MinuteStart + 58);
        Refusal(() => windows.Admit(rule, MinuteStart + 59));

        windows.Admit(rule, MinuteStart + 60);

        Refusal(() => windows.Admit(rule, MinuteStart + 61));
    }

    [Fact]
    public void EveryRuleCounts_AndTheFirstOverItIsNamed()
    {
        var windows = new ThrottleWindows(new ThrottleState());
        var rules = new Throttling(BySecond: 2, ByHour: 3);
        windows.Admit(rules, MinuteStart);
        windows.Admit(rules, MinuteStart);

        Assert.Equal("bySecond", Refusal(() => windows.Admit(rules, MinuteStart)).GetProperty("rule").GetString());
        // The refused call counted in the hour too: the fourth of the hour is over byHour.
        Assert.Equal("byHour", Refusal(() => windows.Admit(rules, MinuteStart + 1)).GetProperty("rule").GetString());
    }

    [Fact]
    public void AShare_IsAnEighthOfTheRoomAtMost_CountedAtOnce_AndTheWindowsLastCallsAreCountedOneByOne()
    {
        var windows = new ThrottleWindows(new ThrottleState());
        var rules = new Throttling(BySecond: 1000, ByMinute: 200);

        // The fullest window decides (byMinute: 200 / 8), and the share ends with the first window to end (the second's).
        Assert.Equal((25, MinuteStart + 1), windows.Grant(rules, 100, MinuteStart));
        Assert.Equal((10, MinuteStart + 1), windows.Grant(rules, 10, MinuteStart));
        var handedOut = 35;
        // Shares shrink as the minute fills, down to none under 4; the calls after that are admitted one by one, exactly.
        while (windows.Grant(rules, 1000, MinuteStart + 30) is (> 0 and var calls, _))
        {
            Assert.InRange(calls, ThrottleWindows.SmallestShare, (200 - handedOut) / ThrottleWindows.ShareFraction);
            handedOut += calls;
        }
        Assert.InRange(handedOut, 200 - ThrottleWindows.SmallestShare * ThrottleWindows.ShareFraction, 200);
        for (; handedOut < 200; handedOut++)
        {
            windows.Admit(rules, MinuteStart + 31);
        }
        var detail = Refusal(() => windows.Admit(rules, MinuteStart + 31));
        Assert.Equal("byMinute", detail.GetProperty("rule").GetString());
        Assert.Equal(201, detail.GetProperty("currentCount").GetInt32());
    }

    [Fact]
    public void WhatAShareDidNotUse_IsGivenBack_OnlyInTheWindowsItWasTakenIn()
    {
        var state = new ThrottleState();
        var windows = new ThrottleWindows(state);
        var rules = new Throttling(BySecond: 800, ByMinute: 800);
        Assert.Equal(100, windows.Grant(rules, 100, MinuteStart).Calls);

        // A second later the minute's window is the same one, the second's is not: only the minute gets the 60 back.
        windows.GiveBack(rules, 60, MinuteStart, MinuteStart + 1);
        Assert.Equal(new[] { MinuteStart / 60, 40 }, state.Windows["byMinute"]);
        Assert.Equal(new[] { MinuteStart, 100 }, state.Windows["bySecond"]);

        // In the next minute, nothing of the last one's share is given back.
        Assert.Equal(100, windows.Grant(rules, 100, MinuteStart + 60).Calls);
        windows.GiveBack(rules, 100, MinuteStart + 59, MinuteStart + 60);
        Assert.Equal(new[] { MinuteStart / 60 + 1, 100 }, state.Windows["byMinute"]);
        Assert.True(windows.IsDirty);
    }

    [Fact]
    public void RequireRoom_CountsNothing_AndRefusesOnlyAFullWindow()
    {
        var windows = new ThrottleWindows(new ThrottleState());
        var rule = new Throttling(ByMinute: 2);
        windows.RequireRoom(rule, MinuteStart);
        windows.RequireRoom(rule, MinuteStart);
        windows.Admit(rule, MinuteStart + 1);
        windows.Admit(rule, MinuteStart + 2);

        Assert.Equal(2, Refusal(() => windows.RequireRoom(rule, MinuteStart + 3)).GetProperty("currentCount").GetInt32());
    }

    [Fact]
    public void Counters_SurviveInTheirState_ForTheNextActivation()
    {
        var state = new ThrottleState();
        var rule = new Throttling(ByDay: 1);
        new ThrottleWindows(state).Admit(rule, MinuteStart);

        Refusal(() => new ThrottleWindows(state).Admit(rule, MinuteStart + 3600));
    }

    [Fact]
    public void ACallersWindow_CountsThatCallerAlone_AndForgetsStaleCallersPastTheCap()
    {
        var windows = new ThrottleWindows(new ThrottleState());
        var rule = new CallerThrottling("ip", ByMinute: 2);
        windows.AdmitCaller(rule, "10.0.0.1", MinuteStart);
        windows.AdmitCaller(rule, "10.0.0.1", MinuteStart + 1);
        windows.AdmitCaller(rule, "10.0.0.2", MinuteStart + 2);
        var refused = Assert.Throws<DffException>(() => windows.AdmitCaller(rule, "10.0.0.1", MinuteStart + 50));
        Assert.Equal("EClientRateLimit.AuthLinkCallerThrottling", refused.Reason);
        var detail = JsonDocument.Parse(refused.DetailJson!).RootElement;
        Assert.Equal("perCaller.byMinute", detail.GetProperty("rule").GetString());
        Assert.Equal(10, detail.GetProperty("waitSeconds").GetInt32());
        // The next minute is a new window for everyone.
        windows.AdmitCaller(rule, "10.0.0.1", MinuteStart + 60);

        var crowded = new ThrottleState();
        var many = new ThrottleWindows(crowded);
        for (var i = 0; i <= ThrottleWindows.MaxCallersPerRule; i++)
        {
            many.AdmitCaller(rule, $"old-{i}", MinuteStart);
        }
        many.AdmitCaller(rule, "new", MinuteStart + 60);
        Assert.Equal(["new"], crowded.Callers["byMinute"].Keys.ToArray());
    }

    [Fact]
    public void PerCallerSettings_AreChecked()
    {
        foreach (var bad in new[]
        {
            new CallerThrottling("cookie", ByMinute: 1), new CallerThrottling("header:X Api Key", ByMinute: 1),
            new CallerThrottling("ip"), new CallerThrottling("header:X-Api-Key", ByDay: 0),
        })
        {
            var refused = Assert.Throws<DffException>(() => ThrottleRules.RequireValid(new Throttling(PerCaller: bad)));
            Assert.Equal("EClientBadRequest.InvalidThrottling", refused.Reason);
        }
        ThrottleRules.RequireValid(new Throttling(ByHour: 5, PerCaller: new CallerThrottling("header:X-Api-Key", ByMinute: 1)));
        var keyed = new CallerThrottling("header:X-Api-Key", ByMinute: 1);
        var key = keyed.CallerKey(new OrleansFunc.Funcs.CallerIdentity("10.0.0.1", "X-Api-Key", "secret-key-1"));
        Assert.DoesNotContain("secret", key);
        Assert.Equal(32, key.Length);
        Assert.Equal("(none)", keyed.CallerKey(new OrleansFunc.Funcs.CallerIdentity("10.0.0.1")));
        Assert.Equal("10.0.0.1", new CallerThrottling("ip", ByMinute: 1).CallerKey(new OrleansFunc.Funcs.CallerIdentity("10.0.0.1")));
    }
}
