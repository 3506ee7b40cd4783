using System.Text.Json.Serialization;

namespace OrleansFunc.DataSources;

/// <summary>The kinds of data source (SPEC D1), by the names DataFlux Func uses; their fields are in <c>DataSourceTypes</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DataSourceType>))]
public enum DataSourceType
{
    [JsonStringEnumMemberName("influxdb")] InfluxDb,
    [JsonStringEnumMemberName("mysql")] MySql,
    [JsonStringEnumMemberName("redis")] Redis,
    [JsonStringEnumMemberName("memcached")] Memcached,
    [JsonStringEnumMemberName("clickhouse")] ClickHouse,
    [JsonStringEnumMemberName("oracle")] Oracle,
    [JsonStringEnumMemberName("sqlserver")] SqlServer,
    [JsonStringEnumMemberName("postgresql")] PostgreSql,
    [JsonStringEnumMemberName("mongodb")] MongoDb,
    [JsonStringEnumMemberName("elasticsearch")] Elasticsearch,
    [JsonStringEnumMemberName("nsq")] Nsq,
    [JsonStringEnumMemberName("mqtt")] Mqtt,
}
