using Npgsql;

namespace OrleansFunc.Hosting;

/// <summary>
/// The PostgreSQL connections one host may hold (<see cref="StorageSettings.ConnectionBudget"/>), shared
/// between its two pools: Orleans' providers (clustering, grain storage and reminders use one connection
/// string, so one Npgsql pool) and our own stores. A caller that finds its pool's share in use waits for a
/// connection (up to the connection string's <c>Timeout</c>) instead of making the server refuse one; the
/// server must allow hosts × budget, plus a few for its administrators (README, "Storage").
/// </summary>
public sealed record ConnectionBudget(string ForOrleans, string ForStores)
{
    /// <summary>Splits <paramref name="budget"/> (at least 4) between the two pools, half each; names the host's connections.</summary>
    public static ConnectionBudget Split(string connectionString, int budget, string hostName)
    {
        budget = Math.Max(4, budget);
        string Pool(int size, string part)
        {
            var pool = new NpgsqlConnectionStringBuilder(connectionString)
            {
                MaxPoolSize = size,
                // pg_stat_activity (and the overview) tell each host's connections apart.
                ApplicationName = $"orleansfunc {part} {hostName}",
            };
            // The same few statements run thousands of times (a minute's firings, claims, grain state): planned once per
            // connection. Planning was most of a firing's cost (1.4 ms of 1.9 ms). An operator's own setting stands.
            if (pool.MaxAutoPrepare == 0)
            {
                pool.MaxAutoPrepare = 64;
            }
            return pool.ConnectionString;
        }
        return new ConnectionBudget(Pool(budget / 2, "orleans"), Pool(budget - budget / 2, "stores"));
    }
}
