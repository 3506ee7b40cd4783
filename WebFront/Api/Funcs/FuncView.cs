using System.Text.Json;
using OrleansFunc.Funcs;

namespace OrleansFunc.WebFront.Api.Funcs;

/// <summary>An exported func as the API shows it: its kwargs and <c>@DFF.API</c> options as JSON objects.</summary>
public sealed record FuncView(
    string Id, string Name, string? Title, string? Description, string Definition, IReadOnlyList<string> Args,
    JsonElement Kwargs, string Category, IReadOnlyList<string> Tags, JsonElement Options, int Line)
{
    public static FuncView Of(FuncInfo f) => new(f.Id, f.Name, f.Title, f.Description, f.Definition, f.Args,
        JsonDocument.Parse(f.KwargsJson).RootElement.Clone(), f.Category, f.Tags, JsonDocument.Parse(f.OptionsJson).RootElement.Clone(), f.Line);

    public static IReadOnlyList<FuncView> Of(IEnumerable<FuncInfo> funcs) => funcs.Select(Of).ToList();
}
