using OrleansFunc.Tests.Infrastructure;
using OrleansFunc.Tests.Platform;
using Xunit;

namespace OrleansFunc.Tests.Hosting;

/// <summary>Packages installed through one host reach every silo of the cluster, each in its own data folder.</summary>
public sealed class PythonPackagesClusterTests
{
    [Fact]
    public async Task APackageInstalledThroughOneHost_IsUnpackedByEverySilo_AndImportedWhereverARunLands()
    {
        await using var index = new LocalPackageIndex();
        index.Publish("tinydep", await index.BuildWheelAsync(LocalPackageIndex.Project("tinydep", "2.0", "VALUE = 42\n")));
        await index.StartAsync();
        await using var hosts = await TwoHosts.StartAsync();
        var (web, siloSettings, token) = (hosts.Web, hosts.SiloSettings, hosts.Token);

        (await web.PutAsync("/api/v1/python-packages/index-url", new { indexUrl = index.Url }, token)).AssertOk();
        var id = (await web.PostAsync("/api/v1/python-packages/install", new { requirement = "tinydep" }, token)).AssertOk().GetProperty("id").GetString();
        var ended = await Eventually.ValueAsync("the install to end",
            async () => (await web.GetAsync($"/api/v1/python-packages/operations/{id}", token)).AssertOk(),
            output => output.GetProperty("operation").GetProperty("status").GetString() != "running", TimeSpan.FromMinutes(3));
        Assert.True(ended.GetProperty("operation").GetProperty("status").GetString() == "succeeded", ended.GetProperty("output").GetString());
        var generation = ended.GetProperty("operation").GetProperty("generation").GetInt64();

        // Each silo reports the generation it gives its new workers; the headless one unpacked it in its own data folder.
        await Eventually.HoldsAsync("both silos to report the new generation", async () =>
        {
            var silos = (await web.GetAsync("/api/v1/python-packages", token)).AssertOk().GetProperty("silos");
            return silos.GetArrayLength() == 2 && silos.EnumerateArray().All(s => s.GetProperty("generation").GetInt64() == generation);
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));
        Assert.True(File.Exists(Path.Combine(siloSettings.DataFolder, "python-packages", $"g{generation}", "tinydep", "__init__.py")));

        (await web.PostAsync("/api/v1/script-sets", new { id = "ppc" }, token)).AssertOk();
        (await web.PostAsync("/api/v1/scripts", new { id = "ppc__main", codeDraft = "import tinydep\n\n@DFF.API('F')\ndef f():\n    return [tinydep.VALUE, _DFF_SILO]\n" }, token)).AssertOk();
        (await web.PostAsync("/api/v1/scripts/ppc__main/publish", null, token)).AssertOk();
        // Runs land on either silo: every one imports the package.
        var results = new List<System.Text.Json.JsonElement>();
        for (var call = 0; call < 20; call++)
        {
            results.Add((await web.PostAsync("/api/v1/func/ppc__main.f", new { kwargs = new { } }, token)).AssertOk().GetProperty("result"));
        }
        Assert.All(results, result => Assert.Equal(42, result[0].GetInt32()));
    }
}
