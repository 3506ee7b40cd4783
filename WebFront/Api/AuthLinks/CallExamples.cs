using OrleansFunc.ApiAuths;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansFunc.AuthLinks;
using OrleansFunc.Funcs;
using OrleansFunc.WebFront.Http;

namespace OrleansFunc.WebFront.Api.AuthLinks;

/// <summary>One ready-to-copy way to call a link.</summary>
public sealed record CallExample(string Form, string Method, string Url, string Curl, string Python);

/// <summary>
/// "API call examples" of a link: every call form with curl and Python requests, filled with the
/// kwargs a caller may send (placeholders and the func's other parameters; never the fixed ones), and the credentials
/// of the link's API auth (a fixed field with its value; a Basic user with a password placeholder).
/// </summary>
public static class CallExamples
{
    /// <summary>The examples of a link, with URLs on the host the request came to.</summary>
    /// <param name="showFixedValues">
    /// Whether a fixed field shows its value (to signed-in users); the public docs show a placeholder instead.
    /// </param>
    public static async Task<EnvelopeResult<IReadOnlyList<CallExample>>> ForLinkAsync(
        AuthLinkInfo link, PublishedCodeCache codes, IGrainFactory grains, HttpRequest request, bool showFixedValues)
    {
        var func = await codes.FindFuncAsync(link.FuncId);
        var auth = link.ApiAuthId is { } id ? await grains.GetGrain<IApiAuthGrain>(id).GetAsync() : null;
        if (auth is not null && !showFixedValues)
        {
            auth = auth with { Fields = auth.Fields.Select(f => f with { Value = $"<{f.Name}>" }).ToList() };
        }
        return Envelopes.Ok(For(link, func?.Info, $"{request.Scheme}://{request.Host}", auth));
    }

    /// <summary>What a call adds for an API auth: curl options, Python keyword arguments, and a query field.</summary>
    private sealed record Credentials(string Curl, string Python, string? Query);

    private static Credentials CredentialsOf(ApiAuthInfo? auth) => auth switch
    {
        { Type: ApiAuthType.FixedField, Fields: [{ Location: ApiAuthFieldLocation.Header } field, ..] } =>
            new($" -H '{field.Name}: {field.Value}'", $", headers={{{PythonString(field.Name)}: {PythonString(field.Value)}}}", null),
        { Type: ApiAuthType.FixedField, Fields: [var field, ..] } =>
            new("", "", $"{Uri.EscapeDataString(field.Name)}={Uri.EscapeDataString(field.Value)}"),
        { Type: ApiAuthType.HttpBasic, Users: [var user, ..] } =>
            new($" -u '{user.Username}:<password>'", $", auth=({PythonString(user.Username)}, '<password>')", null),
        _ => new("", "", null),
    };

    public static IReadOnlyList<CallExample> For(AuthLinkInfo link, FuncInfo? func, string baseUrl, ApiAuthInfo? auth = null)
    {
        var kwargs = SampleKwargs(link, func);
        var credentials = CredentialsOf(auth);
        var url = $"{baseUrl}/api/v1/al/{link.Id}";
        // A fixed query field goes on every URL (the Python examples keep it in the URL too).
        string On(string target) => credentials.Query is null ? target : target + (target.Contains('?') ? "&" : "?") + credentials.Query;
        var (curl, python) = (credentials.Curl, credentials.Python);
        var kwargsJson = kwargs.ToJsonString();
        var query = Uri.EscapeDataString(kwargsJson);
        var simpleQuery = string.Join("&", kwargs.Select(k => $"{Uri.EscapeDataString(k.Key)}={Uri.EscapeDataString(Text(k.Value))}"));
        var body = new JsonObject { ["kwargs"] = kwargs.DeepClone() }.ToJsonString();
        var pythonKwargs = PythonDict(kwargs);
        var pythonStrings = "{" + string.Join(", ", kwargs.Select(k => $"{PythonString(k.Key)}: {PythonString(Text(k.Value))}")) + "}";
        var simpleGet = simpleQuery.Length == 0 ? $"{url}/simplified" : $"{url}/simplified?{simpleQuery}";
        return
        [
            new("standard", "GET", On($"{url}?kwargs={query}"), $"curl{curl} '{On($"{url}?kwargs={query}")}'",
                $"import json, requests\nresp = requests.get('{On(url)}', params={{'kwargs': json.dumps({pythonKwargs})}}{python})\nprint(resp.text)"),
            new("standard", "POST", On(url), $"curl -X POST '{On(url)}' -H 'Content-Type: application/json'{curl} -d '{body}'",
                $"import requests\nresp = requests.post('{On(url)}', json={{'kwargs': {pythonKwargs}}}{python})\nprint(resp.text)"),
            new("simplified", "GET", On(simpleGet), $"curl{curl} '{On(simpleGet)}'",
                $"import requests\nresp = requests.get('{On($"{url}/simplified")}', params={pythonStrings}{python})\nprint(resp.text)"),
            new("simplified", "POST", On($"{url}/simplified"), $"curl -X POST '{On($"{url}/simplified")}'{curl} {string.Join(" ", kwargs.Select(k => $"--data-urlencode '{k.Key}={Text(k.Value)}'"))}".TrimEnd(),
                $"import requests\nresp = requests.post('{On($"{url}/simplified")}', data={pythonStrings}{python})\nprint(resp.text)"),
        ];
    }

    /// <summary>What a caller sets: the template's placeholders and the func's other arguments, a value of its declared type each.</summary>
    private static JsonObject SampleKwargs(AuthLinkInfo link, FuncInfo? func)
    {
        var template = JsonNode.Parse(link.FuncCallKwargsJson)!.AsObject();
        var types = func is null ? new Dictionary<string, ArgumentSpec>() : ArgumentSpec.Of(func.KwargsJson);
        JsonNode Sample(string name) => types.TryGetValue(name, out var spec) ? spec.Sample() : JsonValue.Create("value");
        var sample = new JsonObject();
        foreach (var (name, value) in template)
        {
            if (value is JsonValue text && text.TryGetValue<string>(out var s) && CallRules.Placeholders.Contains(s))
            {
                sample[name] = Sample(name);
            }
        }
        if (func is not null)
        {
            foreach (var (name, spec) in JsonNode.Parse(func.KwargsJson)!.AsObject())
            {
                if (!template.ContainsKey(name))
                {
                    sample[name] = spec?["default"]?.DeepClone() ?? Sample(name);
                }
            }
        }
        return sample;
    }

    private static string Text(JsonNode? value) => value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";

    private static string PythonString(string text) => "'" + text.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    /// <summary>A JSON object written as a Python literal (true/false/null become True/False/None).</summary>
    private static string PythonDict(JsonObject value) => PythonLiteral(JsonSerializer.SerializeToElement(value));

    private static string PythonLiteral(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(", ", value.EnumerateObject().Select(p => $"{PythonString(p.Name)}: {PythonLiteral(p.Value)}")) + "}",
        JsonValueKind.Array => "[" + string.Join(", ", value.EnumerateArray().Select(PythonLiteral)) + "]",
        JsonValueKind.String => PythonString(value.GetString()!),
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.Null => "None",
        _ => value.GetRawText(),
    };
}
