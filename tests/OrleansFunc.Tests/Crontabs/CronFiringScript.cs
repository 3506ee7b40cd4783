using OrleansFunc.Tests.Infrastructure;

namespace OrleansFunc.Tests.Crontabs;

/// <summary>
/// The script of the firing tests: each func appends "trigger-time delay silo" to a file, so the tests
/// count real executions, not only task records.
/// </summary>
public static class CronFiringScript
{
    public const string Code = """
        import time

        @DFF.API('Record')
        def record(path):
            with open(path, 'a') as f:
                f.write('%d %d %s\n' % (_DFF_TRIGGER_TIME, _DFF_CRONTAB_DELAY, _DFF_SILO))

        @DFF.API('Delayed', delayed_crontab=[0, 4])
        def delayed(path):
            record(path)

        @DFF.API('Slow', timeout=100)
        def slow(path):
            record(path)
            time.sleep(75)
        """;

    /// <summary>Publishes the script; returns its ID.</summary>
    public static async Task<string> PublishAsync(TestServer server, string token)
    {
        (await server.PostAsync("/api/v1/script-sets", new { id = "cron" }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts", new { id = "cron__main", codeDraft = Code }, token)).AssertOk();
        (await server.PostAsync("/api/v1/scripts/cron__main/publish", null, token)).AssertOk();
        return "cron__main";
    }

    /// <summary>A folder the unprivileged worker user can write the execution files to, in its sandbox too.</summary>
    public static string NewOutputFolder()
    {
        var folder = Path.Combine(TestPaths.ScriptOutput, $"cron-out-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        return folder;
    }

    /// <summary>The executions written to <paramref name="path"/>: (trigger minute, delay), in order (each line ends with the silo that ran it).</summary>
    public static IReadOnlyList<(DateTimeOffset Minute, int Delay)> Executions(string path) =>
        !File.Exists(path) ? [] : File.ReadAllLines(path)
            .Select(line => line.Split(' '))
            .Select(parts => (DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[0])), int.Parse(parts[1])))
            .ToList();
}
