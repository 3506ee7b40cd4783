using System.Text.Json;

namespace OrleansFunc.WebFront.Http;

/// <summary>Turns System.Text.Json's messages into ones that name the field, not our .NET types.</summary>
public static class JsonErrors
{
    public static string Describe(JsonException error)
    {
        var path = string.IsNullOrEmpty(error.Path) ? "$" : error.Path;
        var message = error.Message;
        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            return $"Invalid JSON body: '{path}' has the wrong type";
        }
        if (message.StartsWith("The JSON property '", StringComparison.Ordinal))
        {
            var name = message["The JSON property '".Length..];
            return $"Invalid JSON body: unknown field '{name[..name.IndexOf('\'')]}'";
        }
        var firstSentence = message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.', ' ');
        return $"Invalid JSON body at '{path}': {firstSentence}";
    }
}
