using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.Hosting;
using OrleansFunc.Users;
using OrleansFunc.WebFront.Auth;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.Auth;

/// <summary>First-run setup, sign-in and sign-out (public), and the signed-in user's own account.</summary>
public static class AuthApi
{
    public sealed record Credentials(string? Username, string? Password);

    /// <param name="UnisolatedWorkers">Scripts run without the sandbox (the operator accepted it): the console warns on every page.</param>
    /// <param name="SignInFuncs">The funcs one can sign in through (<c>DFF.API(integration='signIn')</c>), offered by the sign-in page.</param>
    public sealed record SetupState(bool IsSetUp, bool UnisolatedWorkers, IReadOnlyList<SignInFunc> SignInFuncs);

    /// <summary>DataFlux Func 1.x's body of a sign-in through a func; its captcha fields are accepted and not used (the sign-in guards bound guessing).</summary>
    public sealed record FuncSignIn(FuncCredentials? SignIn, string? CaptchaToken, string? Captcha);

    public sealed record FuncCredentials(string? FuncId, string? Username, string? Password);

    public sealed record SignInResult(string Token, DateTimeOffset ExpireTime, UserInfo User);

    public sealed record PasswordChange(string? CurrentPassword, string? NewPassword);

    /// <summary>Routes that work without a session.</summary>
    public static RouteGroupBuilder MapPublicAuthApi(this RouteGroupBuilder api)
    {
        api.MapGet("/setup", GetSetupStateAsync).WithTags("Auth");
        api.MapPost("/setup", SetupAsync).WithTags("Auth");
        api.MapPost("/auth/sign-in", SignInAsync).WithTags("Auth");
        api.MapPost("/func/integration/sign-in", SignInThroughFuncAsync).WithTags("Auth");
        return api;
    }

    /// <summary>Routes for the signed-in user.</summary>
    public static RouteGroupBuilder MapAccountApi(this RouteGroupBuilder api)
    {
        api.MapPost("/auth/sign-out", SignOutAsync).WithTags("Auth").RecordsOperation(EntityType.User, "signOut");
        api.MapGet("/me", GetMeAsync).WithTags("Auth");
        api.MapPatch("/me", UpdateMeAsync).WithTags("Auth").RecordsOperation(EntityType.User, "modifyProfile");
        api.MapPut("/me/language", SetLanguageAsync).WithTags("Auth");
        api.MapPost("/me/password", ChangePasswordAsync).WithTags("Auth").RecordsOperation(EntityType.User, "changePassword");
        return api;
    }

    private static async Task<EnvelopeResult<SetupState>> GetSetupStateAsync(IGrainFactory grains, OrleansFuncOptions options, SignInFuncs signInFuncs) =>
        Envelopes.Ok(new SetupState(await Directory(grains).IsSetUpAsync(), options.Engine.WorkersUnisolated, await signInFuncs.ListAsync()));

    private static async Task<EnvelopeResult<UserInfo>> SetupAsync(Credentials body, IGrainFactory grains, HttpContext http)
    {
        var user = await Directory(grains).SetupFirstAdminAsync(body.Username ?? "", body.Password ?? "");
        await OperationRecording.RecordAsync(http, user.AsActor().ToPrincipal(TokenAuthenticationHandler.SchemeName),
            EntityType.User, "setup", user.Id);
        return Envelopes.Ok(user);
    }

    private static async Task<EnvelopeResult<SignInResult>> SignInAsync(
        Credentials body, IGrainFactory grains, PasswordGate passwords, HttpContext http)
    {
        if (string.IsNullOrEmpty(body.Username) || string.IsNullOrEmpty(body.Password))
        {
            throw DffException.BadRequest("MissingCredentials", "'username' and 'password' are required");
        }
        // No account has a longer name or password: refused before any grain is keyed by them.
        FieldRules.RequireMaxLength("username", body.Username, UserRules.MaxUsernameLength);
        FieldRules.RequireMaxLength("password", body.Password, UserRules.MaxPasswordLength);
        var user = await GuardedAsync(grains, http, body.Username, () => passwords.CheckAsync(async () =>
        {
            if (await Directory(grains).FindUserIdAsync(body.Username) is { } userId)
            {
                return await grains.GetGrain<IUserGrain>(userId).VerifyPasswordAsync(body.Password);
            }
            PasswordHasher.Verify(body.Password, PasswordHasher.Unmatchable);
            throw new DffException(ErrorKind.BadPassword, null, "Invalid username or password");
        }, http.RequestAborted));
        await OperationRecording.RecordAsync(http, user.AsActor().ToPrincipal(TokenAuthenticationHandler.SchemeName), EntityType.User, "signIn", user.Id);
        return Envelopes.Ok(await StartSessionAsync(user, grains, http));
    }

    /// <summary>
    /// Signs in through a func published with <c>DFF.API(integration='signIn')</c> (DataFlux Func 1.x's route and body): the
    /// func decides, and the user it names gets a session as any other. Guarded like a password sign-in: a func that
    /// refuses or fails counts as a wrong password for the address and the username.
    /// </summary>
    private static async Task<EnvelopeResult<SignInResult>> SignInThroughFuncAsync(
        FuncSignIn body, IGrainFactory grains, SignInFuncs signInFuncs, HttpContext http)
    {
        var credentials = body.SignIn;
        if (string.IsNullOrEmpty(credentials?.FuncId) || string.IsNullOrEmpty(credentials.Username) || string.IsNullOrEmpty(credentials.Password))
        {
            throw DffException.BadRequest("MissingCredentials", "'signIn.funcId', 'signIn.username' and 'signIn.password' are required");
        }
        FieldRules.RequireMaxLength("signIn.funcId", credentials.FuncId, 256);
        FieldRules.RequireMaxLength("signIn.username", credentials.Username, UserRules.MaxUsernameLength);
        FieldRules.RequireMaxLength("signIn.password", credentials.Password, UserRules.MaxPasswordLength);
        var user = await GuardedAsync(grains, http, $"{credentials.FuncId}|{credentials.Username}",
            () => signInFuncs.SignInAsync(credentials.FuncId, credentials.Username, credentials.Password));
        await OperationRecording.RecordAsync(http, user.AsActor().ToPrincipal(TokenAuthenticationHandler.SchemeName), EntityType.User, "signIn", user.Id);
        return Envelopes.Ok(await StartSessionAsync(user, grains, http));
    }

    /// <summary>
    /// A sign-in attempt under the guards of its address and of the username tried from there: refused at once while either
    /// is locked; a success clears them, a failure counts.
    /// </summary>
    private static async Task<UserInfo> GuardedAsync(IGrainFactory grains, HttpContext http, string username, Func<Task<UserInfo>> attempt)
    {
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var addressGuard = grains.GetGrain<ISignInGuardGrain>(SignInGuards.AddressKey(address));
        var userGuard = grains.GetGrain<ISignInGuardGrain>(SignInGuards.UserKey(address, username));
        await addressGuard.BeginAttemptAsync();
        await userGuard.BeginAttemptAsync();
        var user = await attempt();
        await userGuard.RecordSuccessAsync();
        await addressGuard.RecordSuccessAsync();
        return user;
    }

    /// <summary>A new session for <paramref name="user"/>: its token in the answer and in the console's cookie.</summary>
    private static async Task<SignInResult> StartSessionAsync(UserInfo user, IGrainFactory grains, HttpContext http)
    {
        var token = SessionTokens.NewToken();
        var session = await grains.GetGrain<ISessionGrain>(SessionTokens.KeyOf(token)).StartAsync(user.AsActor());
        SessionCookie.Issue(http, token, session.ExpireTime);
        return new SignInResult(token, session.ExpireTime, user);
    }

    private static async Task<EnvelopeResult<object?>> SignOutAsync(HttpRequest request, IGrainFactory grains)
    {
        // The group's authorization guarantees a valid token here.
        await grains.GetGrain<ISessionGrain>(SessionTokens.KeyOf(SessionTokens.FromRequest(request)!)).EndAsync();
        SessionCookie.Clear(request.HttpContext);
        return Envelopes.Ok<object?>(null);
    }

    private static Task<UserInfo> GetUser(HttpContext http, IGrainFactory grains) =>
        grains.GetGrain<IUserGrain>(http.User.GetActor().UserId).GetAsync();

    private static async Task<EnvelopeResult<UserInfo>> GetMeAsync(HttpContext http, IGrainFactory grains) =>
        Envelopes.Ok(await GetUser(http, grains));

    private static async Task<EnvelopeResult<UserInfo>> UpdateMeAsync(ProfileChange body, HttpContext http, IGrainFactory grains) =>
        Envelopes.Ok(await grains.GetGrain<IUserGrain>(http.User.GetActor().UserId).UpdateProfileAsync(body));

    public sealed record LanguageChoice(ConsoleLanguage? Language);

    private static async Task<EnvelopeResult<UserInfo>> SetLanguageAsync(LanguageChoice body, HttpContext http, IGrainFactory grains) =>
        Envelopes.Ok(await grains.GetGrain<IUserGrain>(http.User.GetActor().UserId).SetLanguageAsync(body.Language));

    /// <summary>
    /// Ends every session of the user (the old password's) but the caller's: its session starts
    /// again, under the same token, after the change.
    /// </summary>
    private static async Task<EnvelopeResult<object?>> ChangePasswordAsync(PasswordChange body, HttpContext http, IGrainFactory grains)
    {
        // The group's authorization guarantees a valid token here.
        var token = SessionTokens.FromRequest(http.Request)!;
        if (AccessKeyTokens.IsAccessKey(token))
        {
            throw DffException.Condition("AccessKeyNotForPassword", "An access key cannot change its owner's password; sign in");
        }
        var account = grains.GetGrain<IUserGrain>(http.User.GetActor().UserId);
        await account.ChangePasswordAsync(body.CurrentPassword ?? "", body.NewPassword ?? "");
        await grains.GetGrain<ISessionGrain>(SessionTokens.KeyOf(token)).StartAsync((await account.GetAsync()).AsActor());
        return Envelopes.Ok<object?>(null);
    }

    private static IUserDirectoryGrain Directory(IGrainFactory grains) => grains.GetGrain<IUserDirectoryGrain>(IUserDirectoryGrain.Key);
}
