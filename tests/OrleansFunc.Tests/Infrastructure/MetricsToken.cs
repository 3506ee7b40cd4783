namespace OrleansFunc.Tests.Infrastructure;

/// <summary>The scrape token a server made in its data folder, which Prometheus sends to read <c>/metrics</c>.</summary>
public static class MetricsToken
{
    public static string PathOf(TestServer server) => PathOf(server.DataFolder);

    public static string PathOf(string dataFolder) => Path.Combine(dataFolder, "metrics.token");

    public static string Of(TestServer server) => File.ReadAllText(PathOf(server)).Trim();
}
