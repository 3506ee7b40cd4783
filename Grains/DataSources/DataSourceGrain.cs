using Microsoft.Extensions.Logging;
using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Funcs;
using OrleansFunc.Hosting;

namespace OrleansFunc.DataSources;

public sealed class DataSourceGrain(
    [PersistentState("dataSource", OrleansFuncSiloExtensions.StorageName)] IPersistentState<DataSourceState> state,
    SecretBox secrets,
    FuncInvoker invoker,
    Telemetry.TriggerMetrics metrics,
    ILogger<DataSourceGrain> logger,
    TimeProvider clock) : DirectoryEntityGrain<DataSourceState, DataSourceInfo>(state), IDataSourceGrain, IRemindable
{
    /// <summary>Ticks while the source has topic handlers: brings the grain (and its subscription) back after a restart or a move.</summary>
    private const string KeepSubscribedReminder = "keep-subscribed";

    private TopicSubscription? _subscription;
    private string? _subscribedVersion;


    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        await SyncSubscriptionAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => await StopSubscriptionAsync();

    public Task ReceiveReminder(string reminderName, TickStatus status) => SyncSubscriptionAsync();

    public async Task<DataSourceConnection> PrepareAsync(DataSourceFields fields, bool creating)
    {
        var (type, config) = await ValidateAsync(fields, creating);
        return new DataSourceConnection(Id, type, config.FullJson(), config.Version(type));
    }

    public async Task<DataSourceInfo> CreateAsync(DataSourceFields fields, string checkedVersion)
    {
        var (type, config) = await ValidateAsync(fields, creating: true);
        RequireChecked(config.Version(type), checkedVersion);
        var now = clock.GetUtcNow();
        return await SaveAndSubscribeAsync(Sealed(new DataSourceState
        {
            Exists = true,
            Title = fields.Title ?? "",
            Description = fields.Description ?? "",
            Type = type,
            CreateTime = now,
            UpdateTime = now,
        }, type, config));
    }

    public async Task<DataSourceInfo> UpdateAsync(DataSourceFields fields, string checkedVersion)
    {
        var (type, config) = await ValidateAsync(fields, creating: false);
        RequireChecked(config.Version(type), checkedVersion);
        var current = Stored.State;
        return await SaveAndSubscribeAsync(Sealed(current with
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

    public async Task DeleteAsync()
    {
        RequireExists();
        await StopSubscriptionAsync();
        if (await this.GetReminder(KeepSubscribedReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
        await UnlistAndClearAsync();
    }

    public Task<bool> IsSubscribedAsync()
    {
        RequireExists();
        return Task.FromResult(_subscription?.IsSubscribed == true);
    }

    private async Task<DataSourceInfo> SaveAndSubscribeAsync(DataSourceState next)
    {
        var info = await SaveAsync(next);
        await SyncSubscriptionAsync();
        return info;
    }

    /// <summary>
    /// Holds a subscription exactly while the saved source subscribes (MQTT, Redis) and has enabled topic handlers; a new
    /// config version replaces it. The reminder keeps such a grain active across restarts.
    /// </summary>
    private async Task SyncSubscriptionAsync()
    {
        var s = Stored.State;
        if (!s.Exists || !s.Type.Describe().Subscribes)
        {
            return; // never subscribes, so never had a reminder (a deleted source removed its own)
        }
        var wanted = TopicHandler.Of(PlainConfig(s)).Count > 0;
        if (wanted && _subscription is not null && _subscribedVersion == s.Version)
        {
            return;
        }
        await StopSubscriptionAsync();
        if (wanted)
        {
            var config = System.Text.Json.Nodes.JsonNode.Parse(Connection().ConfigJson)!.AsObject();
            _subscription = TopicSubscription.Start(s.Type, Id, config, invoker, metrics, logger);
            _subscribedVersion = s.Version;
            await this.RegisterOrUpdateReminder(KeepSubscribedReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        }
        else if (await this.GetReminder(KeepSubscribedReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private async Task StopSubscriptionAsync()
    {
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
            _subscription = null;
            _subscribedVersion = null;
        }
    }

    private static System.Text.Json.Nodes.JsonObject PlainConfig(DataSourceState s) =>
        System.Text.Json.Nodes.JsonNode.Parse(s.ConfigJson)!.AsObject();

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
        var keptSecrets = creating ? new Dictionary<string, string>()
            : fields.ConfigJson is { } changed ? DataSourceRules.KeepableSecrets(type, PlainConfig(current), OpenSecrets(current), changed, fields.SecretsPending)
            : OpenSecrets(current);
        var config = DataSourceRules.Normalize(type, fields.ConfigJson ?? (creating ? "{}" : Connection().ConfigJson), keptSecrets, fields.SecretsPending);
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

    protected override (string Reason, string Noun) Missing => ("NoSuchDataSource", "data source");

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

    protected override DataSourceInfo ToInfo()
    {
        var s = Stored.State;
        return new DataSourceInfo(Id, s.Title, s.Description, s.Type, s.ConfigJson, s.SealedSecrets.Keys.Order(StringComparer.Ordinal).ToList(),
            s.CreateTime, s.UpdateTime);
    }
}
