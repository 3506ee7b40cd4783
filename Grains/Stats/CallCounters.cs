using System.Collections.Concurrent;
using OrleansFunc.Engine;

namespace OrleansFunc.Stats;

/// <summary>
/// This process's counts of func calls per origin and per func, in one-minute buckets for the last
/// hour: a few interlocked additions per call, nothing written anywhere.
/// </summary>
public sealed class CallCounters(TimeProvider clock)
{
    private const int Minutes = 60;

    private sealed class Bucket
    {
        public long Minute = -1;
        public readonly ConcurrentDictionary<string, long[]> Origins = new(); // [calls, failures]
        public readonly ConcurrentDictionary<string, double[]> Funcs = new(); // [calls, total ms, max ms]
    }

    private readonly Bucket[] _buckets = Enumerable.Range(0, Minutes).Select(_ => new Bucket()).ToArray();

    public void Record(string origin, string funcId, FuncRunResult run)
    {
        var bucket = Current();
        var counts = bucket.Origins.GetOrAdd(origin, _ => new long[2]);
        Interlocked.Increment(ref counts[0]);
        if (!run.IsSuccess)
        {
            Interlocked.Increment(ref counts[1]);
        }
        var costMs = run.Cost * 1000;
        var cost = bucket.Funcs.GetOrAdd(funcId, _ => new double[3]);
        lock (cost)
        {
            cost[0]++;
            cost[1] += costMs;
            cost[2] = Math.Max(cost[2], costMs);
        }
    }

    /// <summary>The last hour's calls per origin, and the <paramref name="slowest"/> funcs by their longest run.</summary>
    public (IReadOnlyList<OriginCalls> Calls, IReadOnlyList<FuncCost> Funcs) LastHour(int slowest)
    {
        var oldest = MinuteNow() - Minutes + 1;
        var live = _buckets.Where(b => Volatile.Read(ref b.Minute) >= oldest).ToList();
        var calls = live.SelectMany(b => b.Origins)
            .GroupBy(o => o.Key)
            .Select(g => new OriginCalls(g.Key, g.Sum(o => Volatile.Read(ref o.Value[0])), g.Sum(o => Volatile.Read(ref o.Value[1]))))
            .OrderBy(c => c.Origin, StringComparer.Ordinal)
            .ToList();
        var funcs = live.SelectMany(b => b.Funcs)
            .GroupBy(f => f.Key)
            .Select(g =>
            {
                double count = 0, total = 0, max = 0;
                foreach (var (_, cost) in g)
                {
                    lock (cost)
                    {
                        count += cost[0];
                        total += cost[1];
                        max = Math.Max(max, cost[2]);
                    }
                }
                return new FuncCost(g.Key, (long)count, count == 0 ? 0 : total / count, max);
            })
            .OrderByDescending(f => f.MaxMs)
            .Take(slowest)
            .ToList();
        return (calls, funcs);
    }

    private long MinuteNow() => clock.GetUtcNow().ToUnixTimeSeconds() / 60;

    /// <summary>The bucket of this minute, emptied first when it last held an older minute.</summary>
    private Bucket Current()
    {
        var minute = MinuteNow();
        var bucket = _buckets[minute % Minutes];
        if (Volatile.Read(ref bucket.Minute) != minute)
        {
            lock (bucket)
            {
                if (bucket.Minute != minute)
                {
                    bucket.Origins.Clear();
                    bucket.Funcs.Clear();
                    Volatile.Write(ref bucket.Minute, minute);
                }
            }
        }
        return bucket;
    }
}
