using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Users;

/// <summary>
/// Signing in to the console through a func published with <c>DFF.API(integration='signIn')</c>, as DataFlux Func 1.x
/// does (<c>POST /api/v1/func/integration/sign-in</c>): the func decides, the user it names becomes a member account an
/// administrator sees and can disable, and the password shows in no task record.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class SignInThroughFuncTests(SharedServerFixture fixture)
{
    private const string Code = """
        USERS = {'ann': 'ann-secret-1', 'bob': 'bob-secret-1'}

        @DFF.API('Company directory', integration='signIn')
        def sign_in(username, password):
            print('checking', username, password)
            if username == 'boom':
                raise Exception('directory down for %s/%s' % (username, password))
            if USERS.get(username) != password:
                return False
            if username == 'bob':
                return True
            return {'userId': 'u-' + username, 'displayName': username.title() + ' Smith'}

        @DFF.API('Not for signing in')
        def plain(username, password):
            return True
        """;

    private TestServer Server => fixture.Server;

    private async Task<string> PublishAsync()
    {
        var set = SharedServerFixture.UniqueId("signin");
        (await Server.PostAsync("/api/v1/script-sets", new { id = set }, fixture.AdminToken)).AssertOk();
        (await Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = Code }, fixture.AdminToken)).AssertOk();
        (await Server.PostAsync($"/api/v1/scripts/{set}__main/publish", null, fixture.AdminToken)).AssertOk();
        return $"{set}__main";
    }

    private Task<ApiResponse> SignInAsync(string funcId, string username, string password) =>
        Server.PostAsync("/api/v1/func/integration/sign-in",
            new { captchaToken = "unused", captcha = "0000", signIn = new { funcId, username, password } });

    private static string AccountId(string funcId, string userId) =>
        $"igu_{Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(funcId)))}-{userId}";

    [Fact]
    public async Task TheFuncLetsIn_AMemberItNames_WhoseAccountLivesElsewhere()
    {
        var script = await PublishAsync();
        var funcId = $"{script}.sign_in";

        await Eventually.HoldsAsync("the sign-in page offers the func", async () =>
            (await Server.GetAsync("/api/v1/setup")).AssertOk().GetProperty("signInFuncs").EnumerateArray()
                .Any(f => f.GetProperty("id").GetString() == funcId && f.GetProperty("title").GetString() == "Company directory"));

        var signedIn = (await SignInAsync(funcId, "ann", "ann-secret-1")).AssertOk();
        var token = signedIn.GetProperty("token").GetString()!;
        var me = (await Server.GetAsync("/api/v1/me", token)).AssertOk();
        Assert.Equal(AccountId(funcId, "u-ann"), me.GetProperty("id").GetString());
        Assert.Equal("ann", me.GetProperty("username").GetString());
        Assert.Equal("Ann Smith", me.GetProperty("name").GetString());
        Assert.Equal("member", me.GetProperty("role").GetString());
        Assert.Equal(funcId, me.GetProperty("signInFuncId").GetString());

        // A member like any other: the library is open, the users are not.
        (await Server.GetAsync("/api/v1/scripts", token)).AssertOk();
        (await Server.GetAsync("/api/v1/users", token)).AssertError(403.15);
        // Its password and profile live in the system the func asks.
        (await Server.PatchAsync("/api/v1/me", new { name = "Other" }, token)).AssertError(403.21, "EBizCondition.SignedInThroughFunc");
        (await Server.PostAsync("/api/v1/me/password", new { currentPassword = "ann-secret-1", newPassword = "x-secret-22" }, token))
            .AssertError(403.21, "EBizCondition.SignedInThroughFunc");
        (await Server.PatchAsync($"/api/v1/users/{AccountId(funcId, "u-ann")}", new { password = "x-secret-22" }, fixture.AdminToken))
            .AssertError(403.21, "EBizCondition.SignedInThroughFunc");

        // True: the username is the user ID.
        var bob = (await SignInAsync(funcId, "bob", "bob-secret-1")).AssertOk();
        Assert.Equal(AccountId(funcId, "bob"), bob.GetProperty("user").GetProperty("id").GetString());
        var users = await Server.ListAllIdsAsync("/api/v1/users", fixture.AdminToken);
        Assert.Contains(AccountId(funcId, "u-ann"), users);
        Assert.Contains(AccountId(funcId, "bob"), users);
    }

    [Fact]
    public async Task AFuncThatRefusesOrFails_SignsNobodyIn_AndThePasswordShowsNowhere()
    {
        var script = await PublishAsync();
        var funcId = $"{script}.sign_in";

        (await SignInAsync(funcId, "ann", "wrong-secret-1")).AssertError(400.12, "EUserPassword.SignInFuncReturnedFalseOrNothing");
        var failed = (await SignInAsync(funcId, "boom", "boom-secret-1")).AssertError(599.3, "EFuncFailed.SignInFuncRaisedException");
        Assert.Contains("directory down for boom/*****", failed.Message);
        Assert.DoesNotContain("boom-secret-1", failed.Text);
        (await SignInAsync($"{script}.plain", "ann", "ann-secret-1")).AssertError(404.41, "EClientNotFound.NoSuchSignInFunc");
        (await SignInAsync($"{script}.nothing", "ann", "ann-secret-1")).AssertError(404.41, "EClientNotFound.NoSuchSignInFunc");
        (await Server.PostAsync("/api/v1/func/integration/sign-in", new { signIn = new { funcId, username = "ann" } }))
            .AssertError(400.43, "EClientBadRequest.MissingCredentials");

        // The failed run is on record, for its author to see, with the password masked everywhere.
        var record = await Eventually.ValueAsync("the failed sign-in run's task record", async () =>
            (await Server.GetAsync($"/api/v1/task-records?origin=integration&originId={Uri.EscapeDataString("signIn-" + funcId)}&pageSize=100",
                fixture.AdminToken)).AssertOk().EnumerateArray().FirstOrDefault(r => r.GetProperty("status").GetString() == "failure"),
            r => r.ValueKind == JsonValueKind.Object);
        var detail = (await Server.GetAsync($"/api/v1/task-records/{record.GetProperty("id").GetString()}", fixture.AdminToken)).AssertOk();
        var text = detail.GetRawText();
        Assert.DoesNotContain("boom-secret-1", text);
        Assert.Contains("*****", text);
    }

    [Fact]
    public async Task AnAdministrator_DisablesAFuncUser_AndTheirSessionEnds_AndTheFuncCannotLetThemInAgain()
    {
        var script = await PublishAsync();
        var funcId = $"{script}.sign_in";
        var token = (await SignInAsync(funcId, "ann", "ann-secret-1")).AssertOk().GetProperty("token").GetString()!;

        (await Server.PatchAsync($"/api/v1/users/{AccountId(funcId, "u-ann")}", new { isDisabled = true }, fixture.AdminToken)).AssertOk();
        (await Server.GetAsync("/api/v1/me", token)).AssertError(401.14);
        (await SignInAsync(funcId, "ann", "ann-secret-1")).AssertError(400.12);

        (await Server.PatchAsync($"/api/v1/users/{AccountId(funcId, "u-ann")}", new { isDisabled = false, role = "admin" }, fixture.AdminToken))
            .AssertOk();
        var again = (await SignInAsync(funcId, "ann", "ann-secret-1")).AssertOk();
        Assert.Equal("admin", again.GetProperty("user").GetProperty("role").GetString());
    }

    [Theory]
    [InlineData("\"u-7\"", "u-7", "ann")]
    [InlineData("42", "42", "ann")]
    [InlineData("true", "ann", "ann")]
    [InlineData("{\"UID\": 9, \"Full_Name\": \"Ann S\"}", "9", "Ann S")]
    [InlineData("{\"user_id\": \"x\", \"real_name\": \"Ann R\"}", "x", "Ann R")]
    [InlineData("{\"title\": \"Ann T\"}", "ann", "Ann T")]
    public void TheFuncsAnswer_NamesTheUser(string resultJson, string userId, string name) =>
        Assert.Equal((userId, name), SignInFuncs.Read(resultJson, "ann"));

    [Theory]
    [InlineData("false")]
    [InlineData("null")]
    [InlineData("\"\"")]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData(null)]
    public void FalseOrNothing_LetsNobodyIn(string? resultJson) =>
        Assert.Equal(ErrorKind.BadPassword, Assert.Throws<DffException>(() => SignInFuncs.Read(resultJson, "ann")).Kind);
}
