using System.Text.Json;
using OrleansFunc.Engine;

namespace OrleansFunc.WebFront.Api.Calls;

/// <summary>A successful run's return value as the caller asked for it (<c>returnType</c>).</summary>
public static class FuncResult
{
    /// <summary>
    /// The value, or with <c>returnType: "jsonDumps"</c> its JSON text as a string (the runtime wrote
    /// it with Python's <c>json.dumps</c>, so the text is what DataFlux Func gives).
    /// </summary>
    public static JsonElement Value(FuncRunResult run, CallerOptions options)
    {
        var json = run.ResultJson ?? "null";
        if (options.JsonDumps)
        {
            return JsonSerializer.SerializeToElement(json);
        }
        // The clone outlives the document, whose pooled buffers go back when it is disposed.
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
