namespace OrleansFunc.DataSources;

/// <summary>How a config field is checked and stored.</summary>
public enum ConfigFieldKind
{
    Text,
    Port,
    /// <summary>A whole number ≥ 0 (a Redis database).</summary>
    Count,
    Boolean,
    /// <summary>Written only, encrypted at rest, never answered.</summary>
    Secret,
    /// <summary>One of <see cref="ConfigField.Choices"/>.</summary>
    Choice,
    /// <summary><c>"host:port,host:port"</c>.</summary>
    ServerList,
    /// <summary>A list of <c>{topic, funcId, isDisabled}</c> (subscriptions).</summary>
    TopicHandlers,
}

/// <summary>One config field of a type: its kind, whether it must be given, and its default.</summary>
/// <param name="Destination">
/// The field says where (or as whom, or over what transport) the source's secrets are presented: when it
/// changes, a stored secret is kept only if it is typed again (<see cref="DataSourceRules.KeepableSecrets"/>).
/// </param>
public sealed record ConfigField(
    string Name, ConfigFieldKind Kind, bool Required = false, object? Default = null, IReadOnlyList<string>? Choices = null, bool Destination = false);

/// <summary>A data source type: its title, its config fields (reference section 2.1) and what the console can do with it.</summary>
public sealed record DataSourceTypeDescriptor(DataSourceType Type, string Title, IReadOnlyList<ConfigField> Fields, bool HasStructure, bool Subscribes);

/// <summary>The one table of data source types; validation, the API's type list and the console derive from it.</summary>
public static class DataSourceTypes
{
    private static readonly string[] Protocols = ["http", "https"];

    // Destination fields: the server (host, port, server list), the account the secret is presented for
    // (user), and how it travels (protocol, TLS, auth scheme). A database, charset or client ID names
    // something on the same server under the same account, so changing it moves no secret.
    private static ConfigField Host(bool required = true) => new("host", ConfigFieldKind.Text, required, Destination: true);
    private static ConfigField Port(int port, bool required = false) => new("port", ConfigFieldKind.Port, required, port, Destination: true);
    private static ConfigField User(bool required = false, string? fallback = null) => new("user", ConfigFieldKind.Text, required, fallback, Destination: true);
    private static ConfigField Servers(bool required = false) => new("servers", ConfigFieldKind.ServerList, required, Destination: true);
    private static ConfigField Text(string name, bool required = false, string? fallback = null) => new(name, ConfigFieldKind.Text, required, fallback);
    private static ConfigField Password(bool required = false) => new("password", ConfigFieldKind.Secret, required);
    private static ConfigField Protocol() => new("protocol", ConfigFieldKind.Choice, false, "http", Protocols, Destination: true);

    private static IReadOnlyList<ConfigField> Sql(int port, string charset) =>
        [Host(), Port(port), Text("database", true), User(required: true), Password(required: true), Text("charset", false, charset)];

    private static readonly Dictionary<DataSourceType, DataSourceTypeDescriptor> Table = new DataSourceTypeDescriptor[]
    {
        new(DataSourceType.InfluxDb, "InfluxDB (1.x API)",
            [Host(), Port(8086), Protocol(), Text("database"), User(), Password()], HasStructure: true, Subscribes: false),
        new(DataSourceType.MySql, "MySQL / MariaDB", Sql(3306, "utf8mb4"), true, false),
        new(DataSourceType.Redis, "Redis",
            [Host(), Port(6379), new("database", ConfigFieldKind.Count, false, 0), User(), Password(),
             new("authType", ConfigFieldKind.Choice, false, "default", ["default", "aliyun"], Destination: true),
             new("useTLS", ConfigFieldKind.Boolean, false, false, Destination: true),
             new("topicHandlers", ConfigFieldKind.TopicHandlers)],
            true, Subscribes: true),
        new(DataSourceType.Memcached, "Memcached", [Servers(required: true)], false, false),
        new(DataSourceType.ClickHouse, "ClickHouse (native TCP)",
            [Host(), Port(9000), Text("database", true), User(fallback: "default"), Password()], true, false),
        new(DataSourceType.Oracle, "Oracle", Sql(1521, "utf8"), true, false),
        new(DataSourceType.SqlServer, "SQL Server", Sql(1433, "utf8"), true, false),
        new(DataSourceType.PostgreSql, "PostgreSQL", Sql(5432, "utf8"), true, false),
        new(DataSourceType.MongoDb, "MongoDB", [Host(), Port(27017), User(), Password(), Text("database")], true, false),
        new(DataSourceType.Elasticsearch, "Elasticsearch", [Host(), Port(9200), Protocol(), User(), Password()], true, false),
        new(DataSourceType.Nsq, "NSQ (nsqlookupd / nsqd)",
            [Host(required: false), Port(4161), Protocol(), Servers()], true, false),
        new(DataSourceType.Mqtt, "MQTT (v5)",
            [Host(), Port(1883, required: true), User(), Password(), Text("clientId"), new("topicHandlers", ConfigFieldKind.TopicHandlers)],
            false, Subscribes: true),
    }.ToDictionary(d => d.Type);

    public static IReadOnlyCollection<DataSourceTypeDescriptor> All => Table.Values;

    public static DataSourceTypeDescriptor Describe(this DataSourceType type) => Table[type];
}
