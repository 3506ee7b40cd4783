using System.Collections.Concurrent;

namespace OrleansFunc.Tests.Infrastructure;

/// <summary>
/// Runs async work on a thread of its own, every continuation included, and ends the thread when
/// the work is done: for what must not depend on the thread that did it staying alive.
/// </summary>
public static class OwnThread
{
    public static T Run<T>(Func<Task<T>> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            var queue = new BlockingCollection<(SendOrPostCallback Callback, object? State)>();
            SynchronizationContext.SetSynchronizationContext(new QueueContext(queue));
            var task = work();
            task.ContinueWith(_ => queue.CompleteAdding(), TaskScheduler.Default);
            foreach (var (callback, state) in queue.GetConsumingEnumerable())
            {
                callback(state);
            }
            try
            {
                result = task.GetAwaiter().GetResult();
            }
            catch (Exception thrown)
            {
                failure = thrown;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException("The work on its own thread failed", failure);
        }
        return result;
    }

    private sealed class QueueContext(BlockingCollection<(SendOrPostCallback, object?)> queue) : SynchronizationContext
    {
        public override void Post(SendOrPostCallback callback, object? state)
        {
            try
            {
                queue.Add((callback, state));
            }
            catch (InvalidOperationException)
            {
                // The work is done and its thread ending: what comes after runs on the thread pool.
                ThreadPool.QueueUserWorkItem(s => callback(s), state);
            }
        }
    }
}
