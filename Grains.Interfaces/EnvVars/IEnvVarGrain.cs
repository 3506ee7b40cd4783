using OrleansFunc.Common;

namespace OrleansFunc.EnvVars;

/// <summary>One environment variable, keyed by its ID.</summary>
[Alias("of.env-var")]
public interface IEnvVarGrain : IGrainWithStringKey
{
    [Alias("create")]
    Task<EnvVarInfo> CreateAsync(EnvVarFields fields);

    /// <summary>The variable, or 404.41.</summary>
    [SafeToRepeat]
    [Alias("get")]
    Task<EnvVarInfo> GetAsync();

    /// <summary>The variable, or null when it does not exist.</summary>
    [SafeToRepeat]
    [Alias("find")]
    Task<EnvVarInfo?> FindAsync();

    /// <summary>The value for <c>DFF.ENV</c> (a password opened), or null when the variable does not exist.</summary>
    [SafeToRepeat]
    [Alias("find-value")]
    Task<EnvVarValue?> FindValueAsync();

    [Alias("update")]
    Task<EnvVarInfo> UpdateAsync(EnvVarFields fields);

    [Alias("delete")]
    Task DeleteAsync();
}
