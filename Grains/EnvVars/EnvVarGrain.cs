using OrleansFunc.Common;
using OrleansFunc.DataSources;
using OrleansFunc.Errors;
using OrleansFunc.Hosting;

namespace OrleansFunc.EnvVars;

/// <summary>An env variable. A password one keeps its value sealed by <see cref="SecretBox"/> and answers it only to <c>DFF.ENV</c>.</summary>
public sealed class EnvVarGrain(
    [PersistentState("envVar", OrleansFuncSiloExtensions.StorageName)] IPersistentState<EnvVarState> state,
    SecretBox secrets,
    TimeProvider clock) : DirectoryEntityGrain<EnvVarState, EnvVarInfo>(state), IEnvVarGrain
{
    public const int MaxIdLength = 64;
    public const int MaxValueLength = 65_536;


    public async Task<EnvVarInfo> CreateAsync(EnvVarFields fields)
    {
        FieldRules.RequireIdentifier("id", Id, MaxIdLength);
        Validate(fields);
        if (Stored.State.Exists)
        {
            throw DffException.Duplicated("EnvVariableExists", $"Env variable '{Id}' already exists", new { id = Id });
        }
        var now = clock.GetUtcNow();
        var casting = fields.AutoTypeCasting ?? AutoTypeCasting.String;
        return await SaveAsync(new EnvVarState
        {
            Exists = true,
            Title = fields.Title ?? "",
            Description = fields.Description ?? "",
            ValueTEXT = AtRest(fields.ValueTEXT ?? "", casting),
            AutoTypeCasting = casting,
            CreateTime = now,
            UpdateTime = now,
        });
    }

    public Task<EnvVarInfo> GetAsync()
    {
        RequireExists();
        return Task.FromResult(ToInfo());
    }

    public Task<EnvVarInfo?> FindAsync() => Task.FromResult(Stored.State.Exists ? ToInfo() : null);

    public Task<EnvVarValue?> FindValueAsync()
    {
        var s = Stored.State;
        return Task.FromResult(s.Exists ? new EnvVarValue(Id, Plain(s.ValueTEXT, s.AutoTypeCasting), s.AutoTypeCasting) : null);
    }

    public async Task<EnvVarInfo> UpdateAsync(EnvVarFields fields)
    {
        await GetAsync();
        Validate(fields);
        var current = Stored.State;
        var casting = fields.AutoTypeCasting ?? current.AutoTypeCasting;
        if (current.AutoTypeCasting == AutoTypeCasting.Password && casting != AutoTypeCasting.Password && fields.ValueTEXT is null)
        {
            // Turning a secret into plain text shows it: whoever does it types the value.
            throw DffException.BadRequest("SecretNotTypedAgain", "Type the value again to change a password variable into another type",
                new { field = "valueTEXT" });
        }
        var value = fields.ValueTEXT ?? Plain(current.ValueTEXT, current.AutoTypeCasting);
        return await SaveAsync(current with
        {
            Title = fields.Title ?? current.Title,
            Description = fields.Description ?? current.Description,
            ValueTEXT = AtRest(value, casting),
            AutoTypeCasting = casting,
            UpdateTime = clock.GetUtcNow(),
        });
    }

    public async Task DeleteAsync()
    {
        RequireExists();
        await UnlistAndClearAsync();
    }

    private static void Validate(EnvVarFields fields)
    {
        FieldRules.RequireTitleAndDescription(fields.Title, fields.Description);
        FieldRules.RequireMaxLength("valueTEXT", fields.ValueTEXT, MaxValueLength);
        if (fields.AutoTypeCasting is { } casting && !Enum.IsDefined(casting))
        {
            throw DffException.BadRequest("InvalidAutoTypeCasting", $"Unknown autoTypeCasting {casting}", new { field = "autoTypeCasting" });
        }
    }

    protected override (string Reason, string Noun) Missing => ("NoSuchEnvVariable", "env variable");

    protected override EnvVarInfo ToInfo()
    {
        var s = Stored.State;
        var shown = s.AutoTypeCasting == AutoTypeCasting.Password ? "" : s.ValueTEXT;
        return new EnvVarInfo(Id, s.Title, s.Description, shown, s.AutoTypeCasting, s.CreateTime, s.UpdateTime);
    }

    /// <summary>The place a sealed value belongs to: a value copied to another variable does not open.</summary>
    private string Place => $"envVariable:{Id}";

    private string AtRest(string plain, AutoTypeCasting casting) => casting == AutoTypeCasting.Password ? secrets.Encrypt(plain, Place) : plain;

    private string Plain(string stored, AutoTypeCasting casting) => casting == AutoTypeCasting.Password ? secrets.Decrypt(stored, Place) : stored;
}
