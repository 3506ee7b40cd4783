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

    /// <summary>The variable, or null when it does not exist (for <c>DFF.ENV</c>).</summary>
    [SafeToRepeat]
    [Alias("find")]
    Task<EnvVarInfo?> FindAsync();

    [Alias("update")]
    Task<EnvVarInfo> UpdateAsync(EnvVarFields fields);

    [Alias("delete")]
    Task DeleteAsync();
}
