using OrleansFunc.Common;

namespace OrleansFunc.Settings;

/// <summary>Settings of the whole installation that administrators change in the console.</summary>
/// <param name="ErrorHandlerFuncId">
/// The func called with the record of any queued run that failed its last attempt, when its batch or crontab config
/// names no handler of its own; null = none.
/// </param>
[GenerateSerializer, Immutable, Alias("of.InstallationSettings")]
public sealed record InstallationSettings(string? ErrorHandlerFuncId = null);

/// <summary>Fields of the installation's settings; null keeps a field, "" clears a func.</summary>
[GenerateSerializer, Immutable, Alias("of.InstallationSettingsFields")]
public sealed record InstallationSettingsFields(string? ErrorHandlerFuncId = null);

/// <summary>The installation's settings (key <see cref="Key"/>), stored with it.</summary>
[SafeToRepeat]
[Alias("of.installation-settings")]
public interface IInstallationSettingsGrain : IGrainWithStringKey
{
    const string Key = "installation";

    [Alias("get")]
    Task<InstallationSettings> GetAsync();

    /// <summary>Changes the settings given; 404.41 when the error handler is not a published func.</summary>
    [Alias("update")]
    Task<InstallationSettings> UpdateAsync(InstallationSettingsFields fields);
}
