using OrleansFunc.Common;
using OrleansFunc.DataSources;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.Hosting;
using OrleansFunc.Users;

namespace OrleansFunc.ApiAuths;

/// <summary>
/// An API authentication method (DataFlux Func 2021): fixed fields, HTTP Basic users or a func. Field values are
/// sealed at rest and Basic passwords kept only as hashes; the check a front end makes is built from them on demand.
/// </summary>
public sealed class ApiAuthGrain(
    [PersistentState("apiAuth", OrleansFuncSiloExtensions.StorageName)] IPersistentState<ApiAuthState> state,
    SecretBox secrets,
    TimeProvider clock) : DirectoryEntityGrain<ApiAuthState, ApiAuthInfo>(state), IApiAuthGrain
{
    public const int MaxIdLength = 64;
    public const int MaxEntries = 100;
    public const int MaxFieldNameLength = 128;
    public const int MaxFieldValueLength = 1024;

    public async Task<ApiAuthInfo> CreateAsync(ApiAuthFields fields)
    {
        CallRules.RequireValidId(Id);
        FieldRules.RequireMaxLength("id", Id, MaxIdLength);
        if (Exists)
        {
            throw DffException.Duplicated("ApiAuthExists", $"API auth '{Id}' already exists", new { id = Id });
        }
        if (fields.Type is not { } type || !Enum.IsDefined(type))
        {
            throw DffException.BadRequest("InvalidApiAuthType", "'type' is one of fixedField, httpBasic, func", new { field = "type" });
        }
        var now = clock.GetUtcNow();
        var created = new ApiAuthState { Exists = true, Type = type, CreateTime = now };
        return await SaveAsync(await ApplyAsync(created, fields, now));
    }

    public Task<ApiAuthInfo> GetAsync()
    {
        RequireExists();
        return Task.FromResult(ToInfo() with { Fields = OpenFields(Stored.State) });
    }

    public Task<ApiAuthCheck?> GetCheckAsync()
    {
        var s = Stored.State;
        return Task.FromResult(s.Exists
            ? new ApiAuthCheck(Id, s.Type, OpenFields(s), s.PasswordHashes, s.FuncId, s.UpdateTime.UtcTicks)
            : null);
    }

    public async Task<ApiAuthInfo> UpdateAsync(ApiAuthFields fields)
    {
        RequireExists();
        if (fields.Type is { } type && type != Stored.State.Type)
        {
            throw DffException.BadRequest("ApiAuthTypeFixed", "The type of an API auth cannot change; add another one", new { field = "type" });
        }
        return await SaveAsync(await ApplyAsync(Stored.State, fields, clock.GetUtcNow()));
    }

    public async Task DeleteAsync()
    {
        RequireExists();
        await UnlistAndClearAsync();
    }

    /// <summary>The state with <paramref name="fields"/> applied and checked as its type requires.</summary>
    private async Task<ApiAuthState> ApplyAsync(ApiAuthState current, ApiAuthFields fields, DateTimeOffset now)
    {
        FieldRules.RequireMaxLength("name", fields.Name, FieldRules.MaxTitleLength);
        FieldRules.RequireMaxLength("note", fields.Note, FieldRules.MaxDescriptionLength);
        var next = current with { Name = fields.Name ?? current.Name, Note = fields.Note ?? current.Note, UpdateTime = now };
        switch (current.Type)
        {
            case ApiAuthType.FixedField:
                if (fields.Fields is { } given)
                {
                    next = next with { SealedFields = given.Select(Checked).Select(f => f with { Value = secrets.Encrypt(f.Value, Place) }).ToList() };
                }
                if (next.SealedFields.Count == 0)
                {
                    throw DffException.BadRequest("NoFixedField", "A fixedField API auth needs at least one field", new { field = "fields" });
                }
                RequireAtMost("fields", next.SealedFields.Count);
                break;
            case ApiAuthType.HttpBasic:
                if (fields.Users is { } users)
                {
                    next = next with { PasswordHashes = HashedUsers(users, current.PasswordHashes) };
                }
                if (next.PasswordHashes.Count == 0)
                {
                    throw DffException.BadRequest("NoBasicUser", "An httpBasic API auth needs at least one user", new { field = "users" });
                }
                break;
            case ApiAuthType.Func:
                if (fields.FuncId is { } funcId)
                {
                    await CallRules.RequireFuncExistsAsync(GrainFactory, funcId);
                    next = next with { FuncId = funcId };
                }
                if (string.IsNullOrEmpty(next.FuncId))
                {
                    throw DffException.BadRequest("NoAuthFunc", "A func API auth needs 'funcId'", new { field = "funcId" });
                }
                break;
        }
        return next;
    }

    private static ApiAuthField Checked(ApiAuthField field)
    {
        if (!Enum.IsDefined(field.Location) || string.IsNullOrEmpty(field.Name) || string.IsNullOrEmpty(field.Value))
        {
            throw DffException.BadRequest("InvalidFixedField", "Each field has a location (header or query), a name and a value",
                new { field = "fields" });
        }
        FieldRules.RequireMaxLength("fields.name", field.Name, MaxFieldNameLength);
        FieldRules.RequireMaxLength("fields.value", field.Value, MaxFieldValueLength);
        return field;
    }

    /// <summary>The users' hashes: a new password is hashed, a user sent without one keeps the hash it had.</summary>
    private static Dictionary<string, string> HashedUsers(IReadOnlyList<ApiAuthUser> users, IReadOnlyDictionary<string, string> before)
    {
        RequireAtMost("users", users.Count);
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var user in users)
        {
            // A Basic username cannot hold ':' (it ends the username in the header).
            if (string.IsNullOrEmpty(user.Username) || user.Username.Contains(':') || user.Username.Length > UserRules.MaxUsernameLength)
            {
                throw DffException.BadRequest("InvalidBasicUser",
                    $"A username has 1 to {UserRules.MaxUsernameLength} characters and no ':'", new { field = "users.username" });
            }
            if (!hashes.TryAdd(user.Username, user.Password is { } password
                    ? HashOf(password)
                    : before.GetValueOrDefault(user.Username)
                      ?? throw DffException.BadRequest("MissingPassword", $"User '{user.Username}' needs a password", new { field = "users.password" })))
            {
                throw DffException.BadRequest("DuplicateBasicUser", $"User '{user.Username}' is listed twice", new { field = "users.username" });
            }
        }
        return hashes;
    }

    private static string HashOf(string password)
    {
        UserRules.RequireValidPassword("users.password", password);
        return PasswordHasher.Hash(password);
    }

    private static void RequireAtMost(string field, int count)
    {
        if (count > MaxEntries)
        {
            throw DffException.BadRequest("TooManyEntries", $"At most {MaxEntries} {field}", new { field, maxCount = MaxEntries });
        }
    }

    /// <summary>The place the sealed values belong to: a value copied to another method does not open.</summary>
    private string Place => $"apiAuth:{Id}";

    private IReadOnlyList<ApiAuthField> OpenFields(ApiAuthState s) =>
        s.SealedFields.Select(f => f with { Value = secrets.Decrypt(f.Value, Place) }).ToList();

    protected override (string Reason, string Noun) Missing => ("NoSuchApiAuth", "API auth");

    /// <summary>The listing (stored by the directory): field values left out, so that they stay sealed at rest.</summary>
    protected override ApiAuthInfo ToInfo()
    {
        var s = Stored.State;
        return new ApiAuthInfo(Id, s.Name, s.Type, s.SealedFields.Select(f => f with { Value = "" }).ToList(),
            s.PasswordHashes.Keys.Order(StringComparer.Ordinal).Select(u => new ApiAuthUser(u, null)).ToList(), s.FuncId, s.Note,
            s.CreateTime, s.UpdateTime);
    }
}
