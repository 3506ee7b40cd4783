using OrleansFunc.Funcs;

namespace OrleansFunc.Library;

/// <summary>A script as restore points and script packages carry it: both codes and the funcs of the published one.</summary>
[GenerateSerializer, Immutable, Alias("of.ScriptContent")]
public sealed record ScriptContent(string Id, string Title, string Description, string Code, string CodeDraft, IReadOnlyList<FuncInfo> Funcs);

/// <summary>A script set with all its scripts.</summary>
[GenerateSerializer, Immutable, Alias("of.ScriptSetContent")]
public sealed record ScriptSetContent(string Id, string Title, string Description, IReadOnlyList<ScriptContent> Scripts);

/// <summary>How a restore or import changed the library.</summary>
[GenerateSerializer, Immutable, Alias("of.LibraryChange")]
public sealed record LibraryChange(IReadOnlyList<string> ReplacedSetIds, IReadOnlyList<string> RemovedSetIds);
