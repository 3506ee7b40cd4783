namespace OrleansFunc.Stores;

/// <summary>A <c>DFF.STORE</c> entry as the func store manager lists it: <see cref="ValueJSON"/> is the value as JSON.</summary>
public sealed record FuncStoreEntry(string Scope, string Key, string ValueJSON, DateTimeOffset? ExpireAt, DateTimeOffset CreateTime, DateTimeOffset UpdateTime);
