using OrleansFunc.Common;

namespace OrleansFunc.Funcs;

/// <summary>The stored fields every call entry (auth link, batch) has.</summary>
public interface ICallEntryState : IEntityState
{
    string FuncId { get; }
    string FuncCallKwargsJson { get; }
    bool IsDisabled { get; }

    /// <summary>The API authentication method a call must pass first, or null.</summary>
    string? ApiAuthId { get; }

    /// <summary>How many finished task records of the entry are kept (null: the server's per-origin limit).</summary>
    int? TaskRecordLimit { get; }
}
