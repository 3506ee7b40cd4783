using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFunc.Engine;
using OrleansFunc.Errors;

namespace OrleansFunc.DataSources;

/// <summary>
/// Talks to a data source from a Python worker on the <c>debug</c> lane (never from the silo, and
/// never inside a grain's turn): the connectivity check before a change, the debug panel's
/// queries and the structure listing. Each is bounded in time; the driver's own message comes
/// back as 400.43.
/// </summary>
public sealed class DataSourceProbe(FuncRunner runner)
{
    /// <summary>Drivers give up connecting after 5 s; this bounds the whole check.</summary>
    public const int CheckTimeoutSeconds = 15;
    public const int QueryTimeoutSeconds = 30;
    public const int MaxCommandLength = 65_536;

    /// <summary>400.43 <c>ConnectingToDataSourceFailed</c> with the driver's message unless the config connects.</summary>
    public async Task CheckAsync(DataSourceConnection source) =>
        await RunAsync(RunMode.SourceCheck, source, new JsonObject(), CheckTimeoutSeconds, "ConnectingToDataSourceFailed", "Connecting to the data source failed");

    /// <summary>Runs a query or command typed in the debug panel; the result is bounded in rows and size.</summary>
    public async Task<JsonElement> QueryAsync(DataSourceConnection source, string? command, string? database)
    {
        if (string.IsNullOrWhiteSpace(command))
        {
            throw DffException.BadRequest("MissingCommand", "'command' is required", new { field = "command" });
        }
        Common.FieldRules.RequireMaxLength("command", command, MaxCommandLength);
        return await RunAsync(RunMode.SourceQuery, source, new JsonObject { ["command"] = command, ["database"] = database },
            QueryTimeoutSeconds, "DataSourceQueryFailed", "The query failed");
    }

    /// <summary>Databases; the tables (collections, measurements…) of one; the columns of one table.</summary>
    public async Task<JsonElement> BrowseAsync(DataSourceConnection source, string? database, string? table)
    {
        if (!source.Type.Describe().HasStructure)
        {
            throw DffException.BadRequest("NoStructure", $"A {source.Type.Describe().Title} data source has no structure to browse");
        }
        return await RunAsync(RunMode.SourceBrowse, source, new JsonObject { ["database"] = database, ["table"] = table },
            QueryTimeoutSeconds, "DataSourceQueryFailed", "Listing the structure failed");
    }

    private async Task<JsonElement> RunAsync(RunMode mode, DataSourceConnection source, JsonObject kwargs, int timeoutSeconds, string reason, string what)
    {
        kwargs["source"] = new JsonObject
        {
            ["id"] = source.Id,
            ["type"] = JsonSerializer.SerializeToNode(source.Type),
            ["version"] = source.Version,
            ["config"] = JsonNode.Parse(source.ConfigJson),
        };
        var result = await runner.RunAsync(new FuncRunRequest(Lane.Debug, mode, "", "", "", null,
            kwargs.ToJsonString(), timeoutSeconds, new RunContext(TaskOrigin.DataSource, source.Id)));
        if (result.IsSuccess && result.ResultJson is { } json)
        {
            return JsonDocument.Parse(json).RootElement.Clone();
        }
        var message = result.Status == FuncRunStatus.Timeout
            ? $"no answer within {timeoutSeconds} s"
            : result.Error?.Message ?? "the worker gave no reason";
        throw DffException.BadRequest(reason, $"{what}: {message}",
            new { id = source.Id, type = source.Type, errorType = result.Error?.Type });
    }
}
