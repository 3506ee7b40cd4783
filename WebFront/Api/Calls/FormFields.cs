using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using OrleansFunc.Errors;

namespace OrleansFunc.WebFront.Api.Calls;

/// <summary>
/// A form's fields with their names as sent, and its files. ASP.NET's form collection matches names whatever their case,
/// so <c>a=1&amp;A=2</c> would be one field of two values, where DataFlux Func's body parsers (qs, multer) read two
/// fields (as <see cref="QueryFields"/> for the query).
/// </summary>
public static class FormFields
{
    /// <summary>The fields (in the order first sent) and the files of a form body, within the server's form limits; a
    /// form that breaks them or cannot be parsed is the caller's error (400), not the server's.</summary>
    public static Task<(IReadOnlyList<KeyValuePair<string, StringValues>> Fields, IFormFileCollection Files)> ReadAsync(HttpRequest request) =>
        ReadBodyAsync(request, async () =>
        {
            var limits = request.HttpContext.RequestServices.GetRequiredService<IOptions<FormOptions>>().Value;
            if (!request.HasFormContentType || !MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ||
                !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                return (await ReadUrlEncodedAsync(request, limits), new FormFileCollection());
            }
            // The files as ASP.NET keeps them (buffered, on disk when large); the body kept to read the fields again.
            request.EnableBuffering();
            var form = await request.ReadFormAsync();
            request.Body.Position = 0;
            var fields = await ReadMultipartFieldsAsync(request, type, limits);
            request.Body.Position = 0;
            return (fields, form.Files);
        });

    /// <summary>A form as ASP.NET reads it (names in any case), for uploads whose fields have fixed names; a broken form
    /// is the caller's error (400), as in <see cref="ReadAsync"/>.</summary>
    public static Task<IFormCollection> ReadFormAsync(HttpRequest request) =>
        ReadBodyAsync(request, () => request.ReadFormAsync(request.HttpContext.RequestAborted));

    /// <summary>What a failure to read a form body says to its caller: 400 for a body that breaks the form's rules or
    /// limits or ends before its parts do; null for anything else (a body over the size limit keeps its own error).</summary>
    private static DffException? AsCallersError(HttpRequest request, Exception failure) =>
        failure is InvalidDataException ||
        // A part cut short ends the body early (IOException), whether or not the caller is still there to be told.
        (failure is IOException and not BadHttpRequestException && !request.HttpContext.RequestAborted.IsCancellationRequested)
            ? DffException.BadRequest("InvalidBody", $"The form cannot be read: {failure.Message}")
            : null;

    /// <summary>Runs a read of the request's body, a broken form or multipart body answered as in <see cref="AsCallersError"/>.</summary>
    public static async Task<T> ReadBodyAsync<T>(HttpRequest request, Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception broken) when (AsCallersError(request, broken) is { } error)
        {
            throw error;
        }
    }

    private static async Task<IReadOnlyList<KeyValuePair<string, StringValues>>> ReadUrlEncodedAsync(HttpRequest request, FormOptions limits)
    {
        var fields = new FieldsAsSent(limits.ValueCountLimit);
        using var reader = new FormReader(request.Body, Encoding.UTF8)
        {
            ValueCountLimit = limits.ValueCountLimit, KeyLengthLimit = limits.KeyLengthLimit, ValueLengthLimit = limits.ValueLengthLimit,
        };
        while (await reader.ReadNextPairAsync(request.HttpContext.RequestAborted) is { } pair)
        {
            fields.Add(pair.Key, pair.Value);
        }
        return fields.ToList();
    }

    /// <summary>The form-data parts without a file name, the fields ASP.NET's own reader has just read (and bounded).</summary>
    private static async Task<IReadOnlyList<KeyValuePair<string, StringValues>>> ReadMultipartFieldsAsync(
        HttpRequest request, MediaTypeHeaderValue type, FormOptions limits)
    {
        var fields = new FieldsAsSent(limits.ValueCountLimit);
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value
            ?? throw new InvalidDataException("the multipart form has no boundary");
        var reader = new MultipartReader(boundary, request.Body)
        {
            HeadersCountLimit = limits.MultipartHeadersCountLimit, HeadersLengthLimit = limits.MultipartHeadersLengthLimit,
            BodyLengthLimit = limits.MultipartBodyLengthLimit,
        };
        while (await reader.ReadNextSectionAsync(request.HttpContext.RequestAborted) is { } section)
        {
            if (section.GetContentDispositionHeader() is not { } disposition || !disposition.IsFormDisposition())
            {
                continue;
            }
            using var text = new StreamReader(section.Body, Encoding.UTF8);
            fields.Add(HeaderUtilities.RemoveQuotes(disposition.Name).ToString(), await text.ReadToEndAsync());
        }
        return fields.ToList();
    }
}
