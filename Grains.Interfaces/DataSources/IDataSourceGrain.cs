using OrleansFunc.Common;

namespace OrleansFunc.DataSources;

/// <summary>
/// One data source, keyed by its ID. A change is prepared first (validated, secrets merged), checked
/// for connectivity on a worker outside this grain's turn, then saved if the prepared version still holds.
/// </summary>
[Alias("of.data-source")]
public interface IDataSourceGrain : IGrainWithStringKey
{
    /// <summary>
    /// The connection a create (<paramref name="creating"/>) or an update with these fields would
    /// save, without saving it: 400.43 for bad fields, 409.42 on create of an existing source, 404.41
    /// on update of a missing one.
    /// </summary>
    [Alias("prepare")]
    Task<DataSourceConnection> PrepareAsync(DataSourceFields fields, bool creating);

    /// <summary>Creates the source if its prepared version is still <paramref name="checkedVersion"/> (else 409.25).</summary>
    [Alias("create")]
    Task<DataSourceInfo> CreateAsync(DataSourceFields fields, string checkedVersion);

    /// <summary>Updates the source if its prepared version is still <paramref name="checkedVersion"/> (else 409.25).</summary>
    [Alias("update")]
    Task<DataSourceInfo> UpdateAsync(DataSourceFields fields, string checkedVersion);

    /// <summary>The source, or 404.41.</summary>
    [SafeToRepeat]
    [Alias("get")]
    Task<DataSourceInfo> GetAsync();

    /// <summary>The saved connection with decrypted secrets, or 404.41.</summary>
    [SafeToRepeat]
    [Alias("get-connection")]
    Task<DataSourceConnection> GetConnectionAsync();

    /// <summary>The saved connection, or null when the source does not exist (for <c>DFF.SRC</c>).</summary>
    [SafeToRepeat]
    [Alias("find-connection")]
    Task<DataSourceConnection?> FindConnectionAsync();

    [Alias("delete")]
    Task DeleteAsync();

    /// <summary>Whether the source's subscription (MQTT topic handlers) is connected and subscribed now; 404.41 when missing.</summary>
    [SafeToRepeat]
    [Alias("is-subscribed")]
    Task<bool> IsSubscribedAsync();
}
