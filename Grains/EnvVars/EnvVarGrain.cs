using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Hosting;

namespace OrleansFunc.EnvVars;

public sealed class EnvVarGrain(
    [PersistentState("envVar", OrleansFuncSiloExtensions.StorageName)] IPersistentState<EnvVarState> state,
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
        return await SaveAsync(new EnvVarState
        {
            Exists = true,
            Title = fields.Title ?? "",
            Description = fields.Description ?? "",
            ValueTEXT = fields.ValueTEXT ?? "",
            AutoTypeCasting = fields.AutoTypeCasting ?? AutoTypeCasting.String,
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

    public async Task<EnvVarInfo> UpdateAsync(EnvVarFields fields)
    {
        await GetAsync();
        Validate(fields);
        var current = Stored.State;
        return await SaveAsync(current with
        {
            Title = fields.Title ?? current.Title,
            Description = fields.Description ?? current.Description,
            ValueTEXT = fields.ValueTEXT ?? current.ValueTEXT,
            AutoTypeCasting = fields.AutoTypeCasting ?? current.AutoTypeCasting,
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
        return new EnvVarInfo(Id, s.Title, s.Description, s.ValueTEXT, s.AutoTypeCasting, s.CreateTime, s.UpdateTime);
    }
}
