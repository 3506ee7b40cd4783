using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Engine;

/// <summary>
/// What a worker's interpreter has imported before the DFF runtime: pythonnet's import hook subclasses
/// <c>importlib.abc</c>'s classes, and the real <c>importlib.abc</c> of 3.11 brings 32 modules no run needs
/// (<c>importlib.resources</c>, <c>typing</c>, <c>pathlib</c>, <c>tempfile</c>, ...) into every worker's start. The
/// worker gives pythonnet a light one for that moment; a script still imports the real one.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class WorkerStartImportsTests(SharedServerFixture fixture)
{
    // sys.modules keeps the order of imports: what comes before dff_runtime was imported by Python's own start and
    // pythonnet's, whatever the worker's runs imported since.
    private const string Code = """
        import sys

        @DFF.API('Start imports')
        def start_imports():
            names = list(sys.modules)
            before_runtime = names[:names.index('dff_runtime')]
            import importlib.abc
            return {
                'heavy': [name for name in ('importlib.resources', 'typing', 'pathlib', 'tempfile', 'shutil', 'lzma') if name in before_runtime],
                'real': [hasattr(importlib.abc, name) for name in ('Traversable', 'SourceLoader', 'MetaPathFinder', 'Loader')],
                'abcFile': importlib.abc.__file__.endswith('importlib/abc.py'),
            }
        """;

    [Fact]
    public async Task AWorkerStartsWithoutImportlibResources_AndScriptsGetTheRealImportlibAbc()
    {
        var server = fixture.Server;
        var set = SharedServerFixture.UniqueId("wsi");
        (await server.PostAsync("/api/v1/script-sets", new { id = set }, fixture.AdminToken)).AssertOk();
        (await server.PostAsync("/api/v1/scripts", new { id = $"{set}__main", codeDraft = Code }, fixture.AdminToken)).AssertOk();
        (await server.PostAsync($"/api/v1/scripts/{set}__main/publish", null, fixture.AdminToken)).AssertOk();

        var result = (await server.PostAsync($"/api/v1/func/{set}__main.start_imports", new { }, fixture.AdminToken)).AssertOk().GetProperty("result");

        Assert.Empty(result.GetProperty("heavy").EnumerateArray());
        Assert.All(result.GetProperty("real").EnumerateArray(), present => Assert.True(present.GetBoolean()));
        Assert.True(result.GetProperty("abcFile").GetBoolean());
    }
}
