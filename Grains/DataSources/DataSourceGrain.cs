using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.Hosting;

namespace OrleansFunc.DataSources;

public sealed class DataSourceGrain(
    [PersistentState("dataSource", OrleansFuncSiloExtensions.StorageName)] IPersistentState<DataSourceState> state,
    SecretBox secrets,
    TimeProvider clock) : ListedEntityGrain<DataSourceState, DataSourceInfo>(state), IDataSourceGrain
{
    private IDirectoryGrain<DataSourceInfo> Directory => GrainFactory.DirectoryOf<DataSourceInfo>();

    public async Task<DataSourceConnection> PrepareAsync(DataSourceFields fields, bool creating)
    {
        var (type, config) = await ValidateAsync(fields, creating);
        return new DataSourceConnection(Id, type, config.FullJson(), config.Version(type));
    }

    public async Task<DataSourceInfo> CreateAsync(DataSourceFields fields, string checkedVersion, Actor actor)
    {
        var (type, config) = await ValidateAsync(fields, creating: true);
        RequireChecked(config.Version(type), checkedVersion);
        var now = clock.GetUtcNow();
        return await SaveAsync(Sealed(new DataSourceState
        {
            Exists = true,
            Title = fields.Title ?? "",
            Description = fields.Description ?? "",
            Type = type,
            CreateTime = now,
            UpdateTime = now,
        }, type, config));
    }

    public async Task<DataSourceInfo> UpdateAsync(DataSourceFields fields, string checkedVersion, Actor actor)
    {
        var (type, config) = await ValidateAsync(fields, creating: false);
        RequireChecked(config.Version(type), checkedVersion);
        var current = Stored.State;
        return await SaveAsync(Sealed(current with
        {
            Title = fields.Title ?? current.Title,
            Description = fields.Description ?? current.Description,
            UpdateTime = clock.GetUtcNow(),
        }, type, config));
    }

    public Task<DataSourceInfo> GetAsync()
    {
        RequireExists();
        return Task.FromResult(ToInfo());
    }

    public Task<DataSourceConnection> GetConnectionAsync()
    {
        RequireExists();
        return Task.FromResult(Connection());
    }

    public Task<DataSourceConnection?> FindConnectionAsync() => Task.FromResult(Stored.State.Exists ? Connection() : null);

    public async Task DeleteAsync(Actor actor)
    {
        RequireExists();
        await Stored.ClearStateAsync();
        await Directory.RemoveAsync(Id);
    }

    /// <summary>Every rule of a create or update, before anything changes.</summary>
    private async Task<(DataSourceType Type, NormalizedConfig Config)> ValidateAsync(DataSourceFields fields, bool creating)
    {
        DataSourceRules.RequireId(Id);
        FieldRules.RequireTitleAndDescription(fields.Title, fields.Description);
        var current = Stored.State;
        DataSourceType type;
        if (creating)
        {
            if (current.Exists)
            {
                throw DffException.Duplicated("DataSourceExists", $"Data source '{Id}' already exists", new { id = Id });
            }
            type = fields.Type ?? throw DffException.BadRequest("MissingType", "'type' is required", new { field = "type" });
        }
        else
        {
            RequireExists();
            if (fields.Type is { } asked && asked != current.Type)
            {
                throw DffException.BadRequest("TypeImmutable",
                    $"The type of a data source cannot change (it is {current.Type.Describe().Title})", new { field = "type" });
            }
            type = current.Type;
        }
        if (!Enum.IsDefined(type))
        {
            throw DffException.BadRequest("InvalidType", $"Unknown data source type {type}", new { field = "type" });
        }
        var config = DataSourceRules.Normalize(type, fields.ConfigJson ?? (creating ? "{}" : Connection().ConfigJson),
            creating ? new Dictionary<string, string>() : OpenSecrets(current));
        foreach (var funcId in DataSourceRules.HandlerFuncIds(config).Distinct())
        {
            await CallRules.RequireFuncExistsAsync(GrainFactory, funcId);
        }
        return (type, config);
    }

    private static void RequireChecked(string version, string checkedVersion)
    {
        if (version != checkedVersion)
        {
            throw new DffException(ErrorKind.DraftConflict, "DataSourceChanged",
                "The data source changed while its connection was being checked; send the change again");
        }
    }

    private void RequireExists()
    {
        if (!Stored.State.Exists)
        {
            throw DffException.NotFound("NoSuchDataSource", $"No such data source: '{Id}'", new { id = Id });
        }
    }

    private DataSourceState Sealed(DataSourceState next, DataSourceType type, NormalizedConfig config) => next with
    {
        ConfigJson = config.Plain.ToJsonString(),
        SealedSecrets = config.Secrets.ToDictionary(s => s.Key, s => secrets.Encrypt(s.Value, Place(s.Key))),
        Version = config.Version(type),
    };

    private Dictionary<string, string> OpenSecrets(DataSourceState s) =>
        s.SealedSecrets.ToDictionary(p => p.Key, p => secrets.Decrypt(p.Value, Place(p.Key)));

    private string Place(string field) => $"dataSource:{Id}:{field}";

    private DataSourceConnection Connection()
    {
        var s = Stored.State;
        var config = new NormalizedConfig(System.Text.Json.Nodes.JsonNode.Parse(s.ConfigJson)!.AsObject(), OpenSecrets(s));
        return new DataSourceConnection(Id, s.Type, config.FullJson(), s.Version);
    }

    protected override Task UpsertListingAsync(DataSourceInfo info) => Directory.UpsertAsync(info);

    protected override DataSourceInfo ToInfo()
    {
        var s = Stored.State;
        return new DataSourceInfo(Id, s.Title, s.Description, s.Type, s.ConfigJson, s.SealedSecrets.Keys.Order(StringComparer.Ordinal).ToList(),
            s.CreateTime, s.UpdateTime);
    }
}
