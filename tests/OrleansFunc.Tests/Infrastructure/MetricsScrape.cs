using System.Globalization;
using System.Text.RegularExpressions;

namespace OrleansFunc.Tests.Infrastructure;

/// <summary>One read of a server's <c>/metrics</c> (Prometheus text format), with its samples by name and labels.</summary>
public sealed partial class MetricsScrape
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    public string Text { get; }

    private MetricsScrape(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n'))
        {
            var sample = Sample().Match(line);
            if (sample.Success)
            {
                var labels = Label().Matches(sample.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
                _samples.Add((sample.Groups["name"].Value, labels, double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture)));
            }
        }
    }

    public static MetricsScrape Parse(string text) => new(text);

    public static async Task<MetricsScrape> ReadAsync(TestServer server)
    {
        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "Authorization", $"Bearer {MetricsToken.Of(server)}" } } };
        using var scraped = await server.Http.SendAsync(scrape);
        return new MetricsScrape(await scraped.EnsureSuccessStatusCode().Content.ReadAsStringAsync());
    }

    /// <summary>The sum of the samples of <paramref name="name"/> whose labels include <paramref name="labels"/> (0 when none).</summary>
    public double Sum(string name, params (string Label, string Value)[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Label) == l.Value)).Sum(s => s.Value);

    /// <summary>Whether a sample of <paramref name="name"/> with these labels is exposed at all.</summary>
    public bool Has(string name, params (string Label, string Value)[] labels) =>
        _samples.Any(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Label) == l.Value));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>[^ ]+)( \d+)?$")]
    private static partial Regex Sample();

    [GeneratedRegex("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex Label();
}
