namespace OrleansFunc.Common;

/// <summary>
/// A grain method (or every method of a grain interface) whose second call has the effect of the first:
/// a read, or a write that sets rather than adds. When its silo leaves the cluster with the call in flight,
/// the caller's host asks again and the grain wakes on a silo that stays (<c>RepeatOnLostSilo</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Interface)]
public sealed class SafeToRepeatAttribute : Attribute;
