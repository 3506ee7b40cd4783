using System.Threading.Channels;

namespace OrleansFunc.Common;

/// <summary>
/// Coalesces concurrent database writes of one kind into round trips of up to <c>maxBatch</c> items: each
/// caller waits for its own item's outcome, and while batches are being written the next ones gather. A
/// failed round trip fails every item of its batch (their callers retry as they would a single write).
/// </summary>
public sealed class WriteBatcher<TItem, TResult> : IAsyncDisposable
{
    private readonly Channel<(TItem Item, TaskCompletionSource<TResult> Outcome)> _waiting =
        Channel.CreateUnbounded<(TItem, TaskCompletionSource<TResult>)>(new UnboundedChannelOptions { SingleWriter = false });

    private readonly Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> _write;
    private readonly int _maxBatch;
    private readonly Task[] _writers;

    /// <param name="write">Writes the items in one round trip; returns one result per item, in order.</param>
    /// <param name="maxBatch">The most items in one round trip.</param>
    /// <param name="writers">Round trips at once (each holds a connection while it runs).</param>
    public WriteBatcher(Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> write, int maxBatch, int writers)
    {
        _write = write;
        _maxBatch = maxBatch;
        _writers = Enumerable.Range(0, writers).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
    }

    public Task<TResult> WriteAsync(TItem item)
    {
        var outcome = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_waiting.Writer.TryWrite((item, outcome)))
        {
            outcome.SetException(new ObjectDisposedException(nameof(WriteBatcher<TItem, TResult>)));
        }
        return outcome.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<(TItem Item, TaskCompletionSource<TResult> Outcome)>(_maxBatch);
        while (await _waiting.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && _waiting.Reader.TryRead(out var waiting))
            {
                batch.Add(waiting);
            }
            if (batch.Count == 0)
            {
                continue;
            }
            try
            {
                var results = await _write(batch.ConvertAll(b => b.Item));
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Outcome.SetResult(results[i]);
                }
            }
            catch (Exception failure)
            {
                batch.ForEach(b => b.Outcome.SetException(failure));
            }
            batch.Clear();
        }
    }

    /// <summary>Takes no more items, and returns once those taken are written (or failed).</summary>
    public async ValueTask DisposeAsync()
    {
        _waiting.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }
}
