namespace OrleansFunc.Engine;

/// <summary>
/// How many of a queued lane's tasks this silo holds at once: one per worker, and, while the lane's runs are short,
/// as many more as the workers get through in <see cref="AheadWindow"/> (at most <see cref="MostAheadPerWorker"/>
/// each). A burst of short runs (10,000 firings of a minute) is then claimed in batches and the workers never wait
/// for the database between runs; a lane of long runs holds one per worker, since a task claimed ahead of a long
/// run would wait for it while another silo's worker stood idle. Tasks claimed ahead that still found no worker
/// (a long run among short ones) go back to the queue, and no more are claimed ahead until a run ends (<see cref="CloseAhead"/>).
/// </summary>
public sealed class LanePace(int workers)
{
    private static readonly double AheadWindow = TimeSpan.FromMilliseconds(50).TotalSeconds;
    private const int MostAheadPerWorker = 64;

    /// <summary>Weight of the newest run in the average: one long run closes the window at once, short ones reopen it gradually.</summary>
    private const double NewestWeight = 0.05;

    private readonly Lock _lock = new();
    private double _averageCost = double.NaN;
    private bool _aheadClosed;

    /// <summary>Notes the cost (seconds on its worker) of a run that ended.</summary>
    public void Record(double cost)
    {
        lock (_lock)
        {
            _averageCost = double.IsNaN(_averageCost) ? cost : Math.Max(cost, _averageCost * (1 - NewestWeight) + cost * NewestWeight);
            _aheadClosed = false;
        }
    }

    /// <summary>One task per worker, none claimed ahead, until the next run ends: a run outlasted what the pace foresaw.</summary>
    public void CloseAhead()
    {
        lock (_lock)
        {
            _aheadClosed = true;
        }
    }

    /// <summary>Tasks to hold at once; before any run has ended, one per worker.</summary>
    public int Capacity
    {
        get
        {
            double average;
            lock (_lock)
            {
                average = _aheadClosed ? double.NaN : _averageCost;
            }
            var ahead = double.IsNaN(average) ? 0 : (int)Math.Min(MostAheadPerWorker, AheadWindow / Math.Max(average, 1e-6));
            return workers * (1 + ahead);
        }
    }
}
