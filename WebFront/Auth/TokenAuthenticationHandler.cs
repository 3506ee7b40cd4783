using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OrleansFunc.Errors;
using OrleansFunc.Users;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Auth;

/// <summary>
/// Authenticates a request by its session token (checked by the session grain) and answers
/// unauthenticated calls with 401.14 in the envelope.
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IGrainFactory grains)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DffToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = SessionTokens.FromRequest(Request);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }
        try
        {
            var actor = AccessKeyTokens.IsAccessKey(token)
                ? await AuthenticateAccessKeyAsync(token)
                : await grains.GetGrain<ISessionGrain>(SessionTokens.KeyOf(token)).ValidateAsync();
            return AuthenticateResult.Success(new AuthenticationTicket(actor.ToPrincipal(SchemeName), SchemeName));
        }
        catch (DffException expired) when (expired.Kind == ErrorKind.NotSignedIn)
        {
            return AuthenticateResult.Fail(expired.Message);
        }
    }

    /// <summary>An access key's owner as the key lets it act; a token only shaped like one makes no grain.</summary>
    private Task<OrleansFunc.Common.Actor> AuthenticateAccessKeyAsync(string token) =>
        AccessKeyTokens.TryParse(token, out var id, out var secret)
            ? grains.GetGrain<IAccessKeyGrain>(id).AuthenticateAsync(secret)
            : throw new DffException(ErrorKind.NotSignedIn, null, "Malformed access key");

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var message = result.Failure is null
            ? $"Not signed in: send the token of POST /api/v1/auth/sign-in in the {SessionTokens.HeaderName} header"
            : SessionTokens.FromRequest(Request) is { } token && AccessKeyTokens.IsAccessKey(token)
                ? result.Failure.Message
                : "The sign-in has expired or was ended; sign in again";
        await EnvelopeWriter.WriteErrorAsync(Context, new DffException(ErrorKind.NotSignedIn, null, message));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        EnvelopeWriter.WriteErrorAsync(Context, new DffException(ErrorKind.NoPrivilege, null, "Your role does not allow this operation"));
}
