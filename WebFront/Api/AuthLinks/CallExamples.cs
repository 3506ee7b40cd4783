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
/// kwargs a caller may send (placeholders and the func's other parameters; never the fixed ones).
/// </summary>
public static class CallExamples
{
    /// <summary>The examples of a link, with URLs on the host the request came to.</summary>
    public static async Task<EnvelopeResult<IReadOnlyList<CallExample>>> ForLinkAsync(
        AuthLinkInfo link, PublishedCodeCache codes, HttpRequest request)
    {
        var func = await codes.FindFuncAsync(link.FuncId);
        return Envelopes.Ok(For(link, func?.Info, $"{request.Scheme}://{request.Host}"));
    }

    public static IReadOnlyList<CallExample> For(AuthLinkInfo link, FuncInfo? func, string baseUrl)
    {
        var kwargs = SampleKwargs(link, func);
        var url = $"{baseUrl}/api/v1/al/{link.Id}";
        var kwargsJson = kwargs.ToJsonString();
        var query = Uri.EscapeDataString(kwargsJson);
        var simpleQuery = string.Join("&", kwargs.Select(k => $"{Uri.EscapeDataString(k.Key)}={Uri.EscapeDataString(Text(k.Value))}"));
        var body = new JsonObject { ["kwargs"] = kwargs.DeepClone() }.ToJsonString();
        var pythonKwargs = PythonDict(kwargs);
        var pythonStrings = "{" + string.Join(", ", kwargs.Select(k => $"{PythonString(k.Key)}: {PythonString(Text(k.Value))}")) + "}";
        return
        [
            new("standard", "GET", $"{url}?kwargs={query}", $"curl '{url}?kwargs={query}'",
                $"import json, requests\nresp = requests.get('{url}', params={{'kwargs': json.dumps({pythonKwargs})}})\nprint(resp.text)"),
            new("standard", "POST", url, $"curl -X POST '{url}' -H 'Content-Type: application/json' -d '{body}'",
                $"import requests\nresp = requests.post('{url}', json={{'kwargs': {pythonKwargs}}})\nprint(resp.text)"),
            new("simplified", "GET", $"{url}/simplified?{simpleQuery}", $"curl '{url}/simplified?{simpleQuery}'",
                $"import requests\nresp = requests.get('{url}/simplified', params={pythonStrings})\nprint(resp.text)"),
            new("simplified", "POST", $"{url}/simplified", $"curl -X POST '{url}/simplified' {string.Join(" ", kwargs.Select(k => $"--data-urlencode '{k.Key}={Text(k.Value)}'"))}".TrimEnd(),
                $"import requests\nresp = requests.post('{url}/simplified', data={pythonStrings})\nprint(resp.text)"),
        ];
    }

    private static JsonObject SampleKwargs(AuthLinkInfo link, FuncInfo? func)
    {
        var template = JsonNode.Parse(link.FuncCallKwargsJson)!.AsObject();
        var sample = new JsonObject();
        foreach (var (name, value) in template)
        {
            if (value is JsonValue text && text.TryGetValue<string>(out var s) && CallRules.Placeholders.Contains(s))
            {
                sample[name] = "value";
            }
        }
        if (func is not null)
        {
            foreach (var (name, spec) in JsonNode.Parse(func.KwargsJson)!.AsObject())
            {
                if (!template.ContainsKey(name))
                {
                    sample[name] = spec?["default"]?.DeepClone() ?? "value";
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
