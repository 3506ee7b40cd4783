using System.Text.Json;

namespace OrleansFunc.Tests.Infrastructure;

/// <summary>
/// Every item of a listing, page after page. The shared server holds what every test made before, so a test looking
/// for its own item in one page of an unfiltered listing depends on how many others came first (script sets past the
/// 100th failed a full run that way).
/// </summary>
public static class Listings
{
    private const int PageSize = 100;

    /// <param name="path">The listing's path, with its own filters if any (no paging parameters).</param>
    public static async Task<List<JsonElement>> ListAllAsync(this ApiClient api, string path, string token)
    {
        var items = new List<JsonElement>();
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        for (var page = 1; ; page++)
        {
            var listed = (await api.GetAsync($"{path}{separator}pageSize={PageSize}&pageNumber={page}", token)).AssertOk();
            items.AddRange(listed.EnumerateArray());
            if (listed.GetArrayLength() < PageSize)
            {
                return items;
            }
        }
    }

    /// <summary>The <c>id</c> of every item of a listing.</summary>
    public static async Task<List<string>> ListAllIdsAsync(this ApiClient api, string path, string token) =>
        (await api.ListAllAsync(path, token)).Select(item => item.GetProperty("id").GetString()!).ToList();
}
