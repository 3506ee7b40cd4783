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

    /// <summary>Adds <c>ORLEANSFUNC_DATA</c> and <c>ORLEANSFUNC_HTTP_PORT</c> as configuration keys, above other sources.</summary>
    public static IConfigurationBuilder AddOrleansFuncEnvironment(this IConfigurationBuilder builder)
    {
        var values = ShortVariables
            .Select(v => (v.Key, Value: Environment.GetEnvironmentVariable(v.Variable)))
            .Where(v => !string.IsNullOrEmpty(v.Value))
            .ToDictionary(v => v.Key, v => v.Value);
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
