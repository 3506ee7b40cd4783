using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Security;

/// <summary>
/// The DFF.FUNC chain limit (5 funcs, as DataFlux Func) holds whatever the worker says: the silo
/// builds the chain from the run that asks, not from the chain the script sends.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class FuncChainTests(SharedServerFixture fixture)
{
    private const int Funcs = 12;

    [Fact]
    public async Task AForgedChain_StopsAtFive()
    {
        var server = fixture.Server;
        var set = SharedServerFixture.UniqueId("fc");
        var script = $"{set}__main";
        // Each func asks the silo itself (bypassing DFF.FUNC's own check) with an empty chain.
        var code = "import dff_channel\n\n" + string.Concat(Enumerable.Range(1, Funcs).Select(i =>
            $"@DFF.API('F{i}')\ndef f{i}():\n" +
            $"    try:\n        nxt = dff_channel.callback('callFunc', funcId='{script}.f{i + 1}', kwargs={{}}, chain=[])\n" +
            $"    except LookupError as refused:\n        nxt = None\n" +
            $"    return {{'n': {i}, 'next': nxt}}\n\n")) +
            $"@DFF.API('F{Funcs + 1}')\ndef f{Funcs + 1}():\n    return {{'n': {Funcs + 1}, 'next': None}}\n";
        (await server.PostAsync("/api/v1/script-sets", new { id = set }, fixture.AdminToken)).AssertOk();
        (await server.PostAsync("/api/v1/scripts", new { id = script, codeDraft = code }, fixture.AdminToken)).AssertOk();
        (await server.PostAsync($"/api/v1/scripts/{script}/publish", null, fixture.AdminToken)).AssertOk();

        var result = (await server.PostAsync($"/api/v1/func/{script}.f1", new { }, fixture.AdminToken)).AssertOk().GetProperty("result");
        var runs = 1;
        while (result.GetProperty("next").GetString() is { } next)
        {
            var task = await server.WaitForTaskAsync(next, TimeSpan.FromSeconds(30), fixture.AdminToken);
            Assert.Equal("success", task.GetProperty("status").GetString());
            result = task.GetProperty("result");
            runs++;
        }

        Assert.Equal(5, runs);
    }
}
