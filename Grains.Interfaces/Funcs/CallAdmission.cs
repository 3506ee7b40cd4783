namespace OrleansFunc.Funcs;

/// <summary>What an admitted call of an auth link or batch runs: the func and the merged kwargs.</summary>
[GenerateSerializer, Immutable, Alias("of.CallAdmission")]
public sealed record CallAdmission(string FuncId, string KwargsJson);
