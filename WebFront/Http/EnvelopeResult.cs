using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace OrleansFunc.WebFront.Http;

/// <summary>
/// What every endpoint returns on success: <typeparamref name="T"/> in the envelope. It also tells
/// OpenAPI the response type, so the document describes the envelope each route really sends.
/// </summary>
public sealed class EnvelopeResult<T>(T? data, PageInfo? pageInfo = null) : IResult, IEndpointMetadataProvider
{
    public T? Data { get; } = data;

    public Task ExecuteAsync(HttpContext httpContext) => EnvelopeWriter.WriteDataAsync(httpContext, Data, pageInfo);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(Envelope<T>), ["application/json"]));
}

/// <summary>Short constructors for <see cref="EnvelopeResult{T}"/>.</summary>
public static class Envelopes
{
    public static EnvelopeResult<T> Ok<T>(T data) => new(data);

    public static EnvelopeResult<IReadOnlyList<T>> Page<T>(OrleansFunc.Common.Page<T> page)
    {
        var request = page.Request;
        var pageCount = (int)Math.Ceiling(page.TotalCount / (double)request.PageSize);
        var info = new PageInfo("normal", request.PageSize, page.Items.Count, page.TotalCount, request.PageNumber,
            pageCount, request.PageNumber == 1);
        return new EnvelopeResult<IReadOnlyList<T>>(page.Items, info);
    }
}
