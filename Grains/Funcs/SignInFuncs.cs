using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using OrleansFunc.Common;
using OrleansFunc.Engine;
using OrleansFunc.Errors;
using OrleansFunc.Records;
using OrleansFunc.Users;

namespace OrleansFunc.Funcs;

/// <summary>A func the console's sign-in page offers: its ID and title.</summary>
public sealed record SignInFunc(string Id, string Title);

/// <summary>
/// Signing in to the console through a func published with <c>DFF.API(integration='signIn')</c>, as DataFlux Func 1.x
/// does: the func gets <c>username</c> and <c>password</c> and answers who that is (a user ID, an object with an ID and a
/// name, or True), or False / nothing to refuse. The user becomes a member account keyed
/// <c>igu_&lt;md5(funcId)&gt;-&lt;user ID&gt;</c> that an administrator can see, promote or disable. Unlike 1.x, the password is
/// never written to a task record: the run's record has it masked, in its kwargs, print log, error and result.
/// </summary>
public sealed class SignInFuncs(
    PublishedCodeCache codes, FuncInvoker invoker, SyncTaskRecorder recorder, IGrainFactory grains, TimeProvider clock) : IDisposable
{
    public const string Integration = "signIn";

    /// <summary>The longest user ID a sign-in func may answer (it keys an account).</summary>
    public const int MaxUserIdLength = 128;

    private const string Masked = "*****";

    /// <summary>The public sign-in page asks for the list: each ask within this time is answered from memory.</summary>
    private static readonly TimeSpan ListKeptFor = TimeSpan.FromSeconds(5);

    private readonly MemoryCache _list = new(new MemoryCacheOptions());

    public void Dispose() => _list.Dispose();

    public static bool IsSignInFunc(FuncInfo func)
    {
        using var options = JsonDocument.Parse(func.OptionsJson);
        return PublishedCodeCache.IntegrationOption(options.RootElement) == Integration;
    }

    /// <summary>The sign-in funcs of the published code, by ID.</summary>
    public async Task<IReadOnlyList<SignInFunc>> ListAsync() =>
        (await _list.GetOrCreateAsync("all", async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = ListKeptFor;
            var directory = grains.GetGrain<IFuncDirectoryGrain>(IFuncDirectoryGrain.Key);
            var funcs = await Library.LibrarySnapshot.ListAllAsync(page => directory.ListAsync(new FuncFilter(IncludeHidden: true), page));
            return (IReadOnlyList<SignInFunc>)funcs.Where(IsSignInFunc).OrderBy(f => f.Id, StringComparer.Ordinal)
                .Select(f => new SignInFunc(f.Id, string.IsNullOrEmpty(f.Title) ? f.Id : f.Title)).ToList();
        }))!;

    /// <summary>
    /// Runs the sign-in func <paramref name="funcId"/> for these credentials: the account it lets in, or 404.41 when the func
    /// is no sign-in func, 400.12 when it answers False or nothing, 599.3 / 599.31 when it raises or runs too long.
    /// </summary>
    public async Task<UserInfo> SignInAsync(string funcId, string username, string password)
    {
        var func = await codes.FindFuncAsync(funcId);
        if (func is null || !IsSignInFunc(func.Info))
        {
            throw DffException.NotFound("NoSuchSignInFunc", $"No sign-in func '{funcId}'", new { funcId });
        }
        var kwargs = JsonSerializer.Serialize(new { username, password });
        // A task ID of its own: the invoker records no such run, this class records it masked.
        var context = new RunContext(TaskOrigin.Integration, $"{Integration}-{funcId}") { TaskId = $"task-{Guid.NewGuid():N}", TriggerTime = clock.GetUtcNow() };
        var (run, _) = await invoker.CallAsync(funcId, kwargs, new FuncCallOptions(null), TaskOrigin.Direct.Describe().Lane, context);
        RecordMasked(funcId, username, password, context, func.Timeout ?? 0, run);
        if (!run.IsSuccess)
        {
            var error = run.Error ?? new FuncError("Error", "The sign-in func failed", null, "");
            throw run.Status == FuncRunStatus.Timeout
                ? new DffException(ErrorKind.FuncTimeout, "SignInFuncTimeout", "The sign-in func ran past its time limit", new { funcId })
                : new DffException(ErrorKind.FuncFailed, "SignInFuncRaisedException", Mask(error.Message, password),
                    new { funcId, etype = error.Type });
        }
        var (userId, name) = Read(run.ResultJson, username);
        if (userId.Length > MaxUserIdLength)
        {
            throw new DffException(ErrorKind.FuncFailed, "SignInFuncReturnedBadUserId",
                $"The sign-in func answered a user ID longer than {MaxUserIdLength} characters", new { funcId });
        }
        return await grains.GetGrain<IUserGrain>(UserIdOf(funcId, userId)).SignInThroughFuncAsync(funcId, username, name);
    }

    /// <summary>The account ID of the user <paramref name="userId"/> of a sign-in func, as 1.x made it.</summary>
    public static string UserIdOf(string funcId, string userId) => $"igu_{Md5.Of(funcId)}-{userId}";

    /// <summary>
    /// Who a sign-in func's answer names: a string or number is the user ID; an object gives it (<c>id</c>, <c>uid</c>,
    /// <c>userId</c>, <c>user_id</c>) and the name (<c>name</c>, <c>title</c>, <c>fullName</c>, <c>displayName</c>, ...), its keys
    /// read without case (1.x compared lower-cased keys to camel-case names, so <c>userId</c> never matched: fixed); True,
    /// or an object without an ID, is the username. False, null, "" and empty objects or lists refuse.
    /// </summary>
    public static (string UserId, string Name) Read(string? resultJson, string username)
    {
        using var result = JsonDocument.Parse(string.IsNullOrEmpty(resultJson) ? "null" : resultJson);
        var value = result.RootElement;
        var refused = value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.False or JsonValueKind.Undefined => true,
            JsonValueKind.String => value.GetString()!.Length == 0,
            JsonValueKind.Object => !value.EnumerateObject().Any(),
            JsonValueKind.Array => value.GetArrayLength() == 0,
            _ => false,
        };
        if (refused)
        {
            throw new DffException(ErrorKind.BadPassword, "SignInFuncReturnedFalseOrNothing", "Sign-in function returned False or nothing");
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => (value.GetString()!, username),
            JsonValueKind.Number => (value.GetRawText(), username),
            JsonValueKind.Object => (Pick(value, "id", "uid", "userid", "user_id") ?? username,
                Pick(value, "name", "title", "fullname", "full_name", "displayname", "display_name", "realname", "real_name", "showname",
                    "show_name") ?? username),
            _ => (username, username),
        };
    }

    private static string? Pick(JsonElement obj, params string[] names) =>
        obj.EnumerateObject().Where(p => names.Contains(p.Name.ToLowerInvariant()) && p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
            .Select(p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())
            .FirstOrDefault(v => !string.IsNullOrEmpty(v));

    /// <summary>The run's task record (failures always, successes sampled), with the password masked wherever it shows.</summary>
    private void RecordMasked(string funcId, string username, string password, RunContext context, int timeoutSeconds, FuncRunResult run)
    {
        var masked = run with
        {
            ResultJson = run.ResultJson is null ? null : Mask(run.ResultJson, password),
            PrintLogs = run.PrintLogs.Select(line => Mask(line, password)).ToList(),
            Error = run.Error is { } e ? e with { Message = Mask(e.Message, password), Traceback = Mask(e.Traceback, password) } : null,
        };
        recorder.Record(context.TaskId!, TaskOrigin.Integration.WireName(), context.OriginId, funcId,
            JsonSerializer.Serialize(new { username, password = Masked }), timeoutSeconds, context.TriggerTime ?? clock.GetUtcNow(), masked);
    }

    /// <summary>The text with the password, as written and as JSON escapes it, masked.</summary>
    private static string Mask(string text, string password)
    {
        if (password.Length == 0)
        {
            return text;
        }
        var escaped = JsonSerializer.Serialize(password)[1..^1];
        return text.Replace(password, Masked, StringComparison.Ordinal).Replace(escaped, Masked, StringComparison.Ordinal);
    }
}
