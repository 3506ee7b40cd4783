namespace OrleansFunc.Engine;

/// <summary>
/// A run sent to a silo that is no longer an active member: it was never delivered, so the caller
/// may send it to another silo.
/// </summary>
[GenerateSerializer, Alias("of.SiloNotMemberException")]
public sealed class SiloNotMemberException(string message) : OrleansException(message);
