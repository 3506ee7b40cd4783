using Microsoft.Extensions.Configuration;

namespace OrleansFunc.Hosting;

/// <summary>Reading <see cref="OrleansFuncOptions"/>, including the short environment variables of the README.</summary>
public static class OrleansFuncConfiguration
{
    private static readonly (string Variable, string Key)[] ShortVariables =
    [
        ("ORLEANSFUNC_DATA", $"{OrleansFuncOptions.Section}:DataFolder"),
        ("ORLEANSFUNC_HTTP_PORT", $"{OrleansFuncOptions.Section}:HttpPort"),
    ];

    /// <summary>
    /// Adds <c>ORLEANSFUNC_DATA</c> and <c>ORLEANSFUNC_HTTP_PORT</c> as configuration keys, above other sources, and
    /// <c>ORLEANSFUNC_LOG_FORMAT=json</c> as the console's JSON format with scopes (each line of a call carries its
    /// <c>TraceId</c> and <c>SpanId</c>, which the host's activity tracking puts in scope).
    /// </summary>
    public static IConfigurationBuilder AddOrleansFuncEnvironment(this IConfigurationBuilder builder)
    {
        var values = ShortVariables
            .Select(v => (v.Key, Value: Environment.GetEnvironmentVariable(v.Variable)))
            .Where(v => !string.IsNullOrEmpty(v.Value))
            .ToDictionary(v => v.Key, v => v.Value);
        if (string.Equals(Environment.GetEnvironmentVariable("ORLEANSFUNC_LOG_FORMAT"), "json", StringComparison.OrdinalIgnoreCase))
        {
            values["Logging:Console:FormatterName"] = "json";
            values["Logging:Console:FormatterOptions:IncludeScopes"] = "true";
            values["Logging:Console:FormatterOptions:TimestampFormat"] = "yyyy-MM-ddTHH:mm:ss.fffZ";
            values["Logging:Console:FormatterOptions:UseUtcTimestamp"] = "true";
        }
        return builder.AddInMemoryCollection(values);
    }

    /// <summary>Binds and validates the settings.</summary>
    public static OrleansFuncOptions ReadOrleansFuncOptions(this IConfiguration configuration)
    {
        var options = new OrleansFuncOptions();
        configuration.GetSection(OrleansFuncOptions.Section).Bind(options);
        options.Validate();
        return options;
    }
}
