using Microsoft.AspNetCore.Mvc;
using OrleansFunc.Hosting;

namespace OrleansFunc.WebFront.Api.Calls;

/// <summary>The public call routes take bodies up to <see cref="UploadSettings.MaxCallMb"/>, streamed and cut off past it (400.43 BodyTooLarge).</summary>
public static class CallBodyLimit
{
    public static RouteGroupBuilder WithCallBodyLimit(this RouteGroupBuilder calls)
    {
        var uploads = ((IEndpointRouteBuilder)calls).ServiceProvider.GetRequiredService<OrleansFuncOptions>().Uploads;
        return calls.WithMetadata(new RequestSizeLimitAttribute(uploads.MaxCallBytes));
    }
}
