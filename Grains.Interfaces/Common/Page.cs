namespace OrleansFunc.Common;

/// <summary>Which page of a listing to return; numbers start at 1.</summary>
[GenerateSerializer, Immutable, Alias("of.PageRequest")]
public sealed record PageRequest(int PageNumber, int PageSize)
{
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 10;

    public int Offset => (PageNumber - 1) * PageSize;
}

/// <summary>One page of a listing with the total it was cut from.</summary>
[GenerateSerializer, Alias("of.Page`1")]
public sealed record Page<T>(IReadOnlyList<T> Items, int TotalCount, PageRequest Request)
{
    public static Page<T> Of(IReadOnlyCollection<T> all, PageRequest request) =>
        new(all.Skip(request.Offset).Take(request.PageSize).ToList(), all.Count, request);

    /// <summary>The same page with each item converted (for example into its API view).</summary>
    public Page<TOut> Map<TOut>(Func<T, TOut> convert) => new(Items.Select(convert).ToList(), TotalCount, Request);
}
