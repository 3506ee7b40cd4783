using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Scripts;
using OrleansFunc.ScriptSets;
using OrleansFunc.Users;
using Xunit;

namespace OrleansFunc.Tests.Rules;

public sealed class RulesTests
{
    [Theory]
    [InlineData("demo__main", "demo")]
    [InlineData("_x__y", "_x")]
    [InlineData("a__b__c", "a")]
    [InlineData("set1__Script_2", "set1")]
    public void ScriptId_Valid_YieldsItsSetId(string scriptId, string setId) =>
        Assert.Equal(setId, ScriptRules.RequireValidId(scriptId));

    [Theory]
    [InlineData("demo")]
    [InlineData("demo__")]
    [InlineData("__main")]
    [InlineData("de-mo__main")]
    [InlineData("demo__1x")]
    public void ScriptId_Invalid_IsRefusedAsBadRequest(string scriptId)
    {
        var error = Assert.Throws<DffException>(() => ScriptRules.RequireValidId(scriptId));
        Assert.Equal(ErrorKind.BadRequest, error.Kind);
        Assert.Equal("EClientBadRequest.InvalidId", error.Reason);
    }

    [Fact]
    public void ScriptSetId_OfMaxLength_IsAccepted_AndOneMoreIsNot()
    {
        ScriptSetRules.RequireValidId(new string('a', ScriptSetRules.MaxIdLength));
        Assert.Throws<DffException>(() => ScriptSetRules.RequireValidId(new string('a', ScriptSetRules.MaxIdLength + 1)));
    }

    [Fact]
    public void EditLock_OfAnotherUser_BlocksUntilItExpires()
    {
        var now = DateTimeOffset.UtcNow;
        var holder = new Actor("u-1", "ann", UserRole.Admin);
        var other = new Actor("u-2", "bob", UserRole.Member);
        var held = new EditLock(holder.UserId, holder.Username, now.AddSeconds(10));

        ScriptRules.RequireNotLockedByOther(held, holder, now);
        var error = Assert.Throws<DffException>(() => ScriptRules.RequireNotLockedByOther(held, other, now));
        Assert.Equal(ErrorKind.BizCondition, error.Kind);
        Assert.Contains("ann", error.Message);
        ScriptRules.RequireNotLockedByOther(held, other, now.AddSeconds(11));
    }

    [Fact]
    public void PasswordHash_IsSaltedAndVerifies()
    {
        var first = PasswordHasher.Hash("correct horse");
        var second = PasswordHasher.Hash("correct horse");
        Assert.NotEqual(first, second);
        Assert.True(PasswordHasher.Verify("correct horse", first));
        Assert.False(PasswordHasher.Verify("correct horsf", first));
        Assert.False(PasswordHasher.Verify("correct horse", "md5$whatever"));
    }

    [Fact]
    public void ErrorTable_HttpStatusIsTheIntegerPartOfEveryCode()
    {
        foreach (var kind in Enum.GetValues<ErrorKind>())
        {
            var descriptor = kind.Describe();
            Assert.Equal((int)Math.Truncate(descriptor.Code), descriptor.HttpStatus);
            Assert.InRange(descriptor.HttpStatus, 400, 599);
        }
        Assert.Equal(599.1, ErrorKind.ApiTimeout.Describe().Code);
        Assert.Equal(429, ErrorKind.RateLimited.Describe().HttpStatus);
    }

    [Fact]
    public void Md5_MatchesTheKnownDigest() =>
        Assert.Equal("5d41402abc4b2a76b9719d911017c592", Md5.Of("hello"));

    [Fact]
    public void Page_CutsTheRequestedSlice()
    {
        var page = Page<int>.Of(Enumerable.Range(1, 25).ToList(), new PageRequest(3, 10));
        Assert.Equal([21, 22, 23, 24, 25], page.Items);
        Assert.Equal(25, page.TotalCount);
    }
}
