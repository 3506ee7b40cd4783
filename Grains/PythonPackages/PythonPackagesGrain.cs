using Microsoft.Extensions.Logging;
using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Hosting;

namespace OrleansFunc.PythonPackages;

/// <summary>An operation as the grain keeps it: its summary and, once it ended, its output.</summary>
[GenerateSerializer, Immutable, Alias("of.StoredPackageOperation")]
public sealed record StoredPackageOperation(PackageOperationSummary Summary, string Output);

[GenerateSerializer, Alias("of.PythonPackagesState")]
public sealed class PythonPackagesState
{
    [Id(0)] public string IndexUrl { get; set; } = "";

    /// <summary>The latest first.</summary>
    [Id(1)] public List<StoredPackageOperation> Operations { get; set; } = [];
}

/// <summary>
/// The installed Python packages' one writer. An operation runs in the background of this activation (its turns
/// interleave with reads of its output); it changes the installation only at its end, in one PostgreSQL transaction, so
/// a failure, a kill or a silo lost halfway leaves the packages as they were.
/// </summary>
public sealed partial class PythonPackagesGrain(
    [PersistentState("pythonPackages", OrleansFuncSiloExtensions.StorageName)] IPersistentState<PythonPackagesState> state,
    PythonPackageStore store, PackageSetBuilder builder, PythonPackageSite site, TimeProvider clock, ILogger<PythonPackagesGrain> logger)
    : Grain, IPythonPackagesGrain
{
    private const int OperationsKept = 20;

    /// <summary>The running operation's ID and output; null when none runs in this activation.</summary>
    private (string Id, OperationLog Log)? _running;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // An operation still marked running was this grain's on a silo that stopped: it changed nothing.
        if (state.State.Operations.Any(o => o.Summary.Status == PackageOperationStatus.Running))
        {
            state.State.Operations = [.. state.State.Operations.Select(o => o.Summary.Status != PackageOperationStatus.Running ? o
                : o with { Summary = o.Summary with
                {
                    Status = PackageOperationStatus.Interrupted, EndTime = clock.GetUtcNow(),
                    Error = "The silo running it stopped before it ended; the installed packages are as they were",
                } })];
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public async Task<PythonPackagesView> GetAsync()
    {
        var set = await store.NewestAsync();
        var hosts = await GrainFactory.GetGrain<Stats.IClusterStatsGrain>(Stats.IClusterStatsGrain.Key).GetAsync();
        return new PythonPackagesView(set.Generation, set.Packages, PackageRequirements.MaskedIndexUrl(state.State.IndexUrl),
            [.. state.State.Operations.Select(o => o.Summary)],
            [.. hosts.Where(h => h.PackageGeneration is not null).Select(h => new SiloPackages(h.Host, h.PackageGeneration!.Value)).OrderBy(s => s.Host)]);
    }

    public async Task<PythonPackagesView> SetIndexUrlAsync(string indexUrl)
    {
        state.State.IndexUrl = PackageRequirements.RequireIndexUrl(indexUrl);
        await state.WriteStateAsync();
        return await GetAsync();
    }

    public Task<PackageOperationSummary> InstallAsync(string requirement, Actor by)
    {
        var name = PackageRequirements.NameOf(requirement);
        var text = requirement.Trim();
        return StartAsync(new PackageChange(PackageOperationKind.Install, name, text), text, by, uploadId: null);
    }

    public async Task<PackageOperationSummary> InstallWheelAsync(long uploadId, string fileName, Actor by)
    {
        var (name, version) = PackageRequirements.WheelOf(fileName);
        var wheel = await store.UploadAsync(uploadId)
            ?? throw DffException.NotFound("UploadNotFound", "The uploaded wheel is gone; upload it again", new { uploadId });
        return await StartAsync(new PackageChange(PackageOperationKind.InstallWheel, name, $"{name}=={version}", fileName, wheel), fileName, by, uploadId);
    }

    public async Task<PackageOperationSummary> UninstallAsync(string name, Actor by)
    {
        var normalized = PackageRequirements.NameOf(name, "name");
        var current = await store.NewestAsync();
        if (!current.Requirements.Any(r => PackageRequirements.NameOf(r) == normalized))
        {
            throw current.Packages.Any(p => p.Name == normalized)
                ? DffException.Condition("RequiredByAnother",
                    $"{normalized} was installed because another package needs it: uninstall that one", new { name = normalized })
                : DffException.NotFound("PackageNotFound", $"No installed package is named {normalized}", new { name = normalized });
        }
        return await StartAsync(new PackageChange(PackageOperationKind.Uninstall, normalized, null), normalized, by, uploadId: null);
    }

    public Task<PackageOperationOutput> GetOutputAsync(string operationId, int fromOffset)
    {
        var stored = state.State.Operations.FirstOrDefault(o => o.Summary.Id == operationId)
            ?? throw DffException.NotFound("OperationNotFound", $"No package operation has the ID {operationId}", new { operationId });
        var (text, next) = _running is { } running && running.Id == operationId
            ? running.Log.From(fromOffset)
            : new OperationLog(stored.Output).From(fromOffset);
        return Task.FromResult(new PackageOperationOutput(stored.Summary, text, next));
    }

    private async Task<PackageOperationSummary> StartAsync(PackageChange change, string target, Actor by, long? uploadId)
    {
        if (_running is not null)
        {
            throw DffException.Condition("PackageOperationRunning", "Another package operation is running; wait for it to end");
        }
        var operation = new PackageOperationSummary($"ppo-{Guid.NewGuid():N}"[..16], change.Kind, target, PackageOperationStatus.Running,
            by.Username, clock.GetUtcNow(), null, null, null);
        state.State.Operations = [new StoredPackageOperation(operation, ""), .. state.State.Operations.Take(OperationsKept - 1)];
        await state.WriteStateAsync();
        var log = new OperationLog();
        _running = (operation.Id, log);
        DelayDeactivation(PackageSetBuilder.Longest + TimeSpan.FromMinutes(5));
        LogStarted(logger, operation.Id, change.Kind, target, by.Username);
        // Runs on this activation's scheduler, between the turns that read its output.
        _ = RunAsync(operation, change, uploadId, log);
        return operation;
    }

    private async Task RunAsync(PackageOperationSummary operation, PackageChange change, long? uploadId, OperationLog log)
    {
        PackageOperationSummary ended;
        try
        {
            var current = await store.NewestAsync();
            var wheels = current.Generation > 0 ? await store.WheelsAsync(current.Generation) : null;
            using var timeLimit = new CancellationTokenSource(PackageSetBuilder.Longest);
            var built = await builder.BuildAsync(current, wheels, change, state.State.IndexUrl, log, timeLimit.Token);
            if (!await store.CommitAsync(built.Set, built.Wheels, built.Site, uploadId))
            {
                throw DffException.Condition("PackagesChanged", "Another change of the packages was stored first");
            }
            log.Last($"Generation {built.Set.Generation}: " +
                (built.Set.Packages.Count == 0 ? "no packages" : string.Join(", ", built.Set.Packages.Select(p => $"{p.Name} {p.Version}"))) +
                ". Every silo gives it to the workers it starts from now on.");
            ended = operation with { Status = PackageOperationStatus.Succeeded, EndTime = clock.GetUtcNow(), Generation = built.Set.Generation };
            await SyncThisSiloAsync();
        }
        catch (Exception failure)
        {
            var why = failure switch
            {
                DffException known => known.Message,
                OperationCanceledException => $"It took longer than {PackageSetBuilder.Longest.TotalMinutes} minutes",
                _ => failure.GetBaseException().Message,
            };
            log.Last($"Failed: {why.TrimEnd('.')}. The installed packages are as they were.");
            ended = operation with { Status = PackageOperationStatus.Failed, EndTime = clock.GetUtcNow(), Error = why };
            if (failure is not DffException)
            {
                LogFailed(logger, failure, operation.Id);
            }
            if (uploadId is { } id)
            {
                await store.DeleteUploadAsync(id);
            }
        }
        finally
        {
            _running = null;
        }
        state.State.Operations = [.. state.State.Operations.Select((o, index) =>
            o.Summary.Id == operation.Id ? new StoredPackageOperation(ended, log.ToString())
            : index >= FullOutputsKept ? o with { Output = Tail(o.Output) } : o)];
        await state.WriteStateAsync();
    }

    /// <summary>
    /// The new generation on this silo at once (the others look every few seconds). Stored is stored: a failure here
    /// is this silo's to retry at its next sync round, not the operation's.
    /// </summary>
    private async Task SyncThisSiloAsync()
    {
        try
        {
            await site.SyncAsync(CancellationToken.None);
        }
        catch (Exception failure)
        {
            LogSyncFailed(logger, failure);
        }
    }

    /// <summary>Operations whose whole output is kept; older ones keep its end, where pip says what went wrong.</summary>
    private const int FullOutputsKept = 3;

    private static string Tail(string output) => output.Length <= 8192 ? output : "...\n" + output[^8192..];

    [LoggerMessage(Level = LogLevel.Information, Message = "Python packages: operation {OperationId} ({Kind} {Target}) started by {Username}")]
    private static partial void LogStarted(ILogger logger, string operationId, PackageOperationKind kind, string target, string username);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Python packages: the new generation is stored, but this silo could not unpack it yet")]
    private static partial void LogSyncFailed(ILogger logger, Exception failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Python packages: operation {OperationId} failed")]
    private static partial void LogFailed(ILogger logger, Exception failure, string operationId);
}
