using System.Text.Json;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.DataSources;

/// <summary>Creating data sources and running scripts that use them, for the data source tests.</summary>
public static class DataSourceScripts
{
    /// <summary>Creates a source (its connectivity check included) and returns its ID.</summary>
    public static async Task<string> CreateSourceAsync(this SharedServerFixture fixture, string type, object config, string prefix = "ds_")
    {
        var id = SharedServerFixture.UniqueId(prefix);
        (await fixture.Server.PostAsync("/api/v1/data-sources", new { id, title = $"{type} test", type, configJSON = config }, fixture.AdminToken)).AssertOk();
        return id;
    }

    /// <summary>Saves <paramref name="code"/> as a new script's draft and runs <paramref name="funcName"/> from the editor.</summary>
    public static async Task<JsonElement> RunScriptAsync(this SharedServerFixture fixture, string code, string funcName, object? kwargs = null)
    {
        var set = SharedServerFixture.UniqueId("dss");
        (await fixture.Server.PostAsync("/api/v1/script-sets", new { id = set }, fixture.AdminToken)).AssertOk();
        (await fixture.Server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = code }, fixture.AdminToken)).AssertOk();
        return (await fixture.Server.PostAsync($"/api/v1/scripts/{set}__main/run", new { funcName, kwargs = kwargs ?? new { } }, fixture.AdminToken)).AssertOk();
    }

    /// <summary>The result of a run that must succeed.</summary>
    public static JsonElement Result(this JsonElement run)
    {
        Assert.True(!run.TryGetProperty("error", out var error) || error.ValueKind == JsonValueKind.Null, $"The run failed: {run}");
        return run.GetProperty("result");
    }

    /// <summary>The error message of a run that must fail.</summary>
    public static string ErrorMessage(this JsonElement run)
    {
        Assert.True(run.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object, $"The run did not fail: {run}");
        return error.GetProperty("message").GetString()!;
    }
}
