namespace OrleansFunc.Records;

/// <summary>One lane's queue now: tasks queued (<paramref name="Due"/> of them due already), running, and the oldest due task's wait.</summary>
public sealed record LaneQueue(string Lane, int Queued, int Running, int Due, double OldestDueSeconds);
