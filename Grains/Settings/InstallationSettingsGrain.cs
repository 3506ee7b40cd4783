using OrleansFunc.Funcs;
using OrleansFunc.Hosting;

namespace OrleansFunc.Settings;

[GenerateSerializer, Alias("of.InstallationSettingsState")]
public sealed class InstallationSettingsState
{
    [Id(0)] public string? ErrorHandlerFuncId { get; set; }
}

public sealed class InstallationSettingsGrain(
    [PersistentState("installationSettings", OrleansFuncSiloExtensions.StorageName)] IPersistentState<InstallationSettingsState> state)
    : Grain, IInstallationSettingsGrain
{
    public Task<InstallationSettings> GetAsync() => Task.FromResult(Describe());

    public async Task<InstallationSettings> UpdateAsync(InstallationSettingsFields fields)
    {
        if (fields.ErrorHandlerFuncId is { } handler)
        {
            if (handler.Length > 0)
            {
                await CallRules.RequireFuncExistsAsync(GrainFactory, handler, "errorHandlerFuncId");
            }
            state.State.ErrorHandlerFuncId = handler.Length == 0 ? null : handler;
            await state.WriteStateAsync();
        }
        return Describe();
    }

    private InstallationSettings Describe() => new(state.State.ErrorHandlerFuncId);
}
