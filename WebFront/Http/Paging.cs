using OrleansFunc.Common;
using Microsoft.AspNetCore.Mvc;
using OrleansFunc.Errors;

namespace OrleansFunc.WebFront.Http;

/// <summary>The <c>pageNumber</c>/<c>pageSize</c> query parameters of every listing (named so in OpenAPI too).</summary>
public sealed record Paging([FromQuery(Name = "pageNumber")] int? PageNumber, [FromQuery(Name = "pageSize")] int? PageSize)
{
    public PageRequest ToRequest()
    {
        var number = PageNumber ?? 1;
        var size = PageSize ?? PageRequest.DefaultPageSize;
        if (number < 1)
        {
            throw DffException.BadRequest("InvalidPaging", "'pageNumber' must be 1 or more", new { field = "pageNumber" });
        }
        if (size is < 1 or > PageRequest.MaxPageSize)
        {
            throw DffException.BadRequest("InvalidPaging", $"'pageSize' must be between 1 and {PageRequest.MaxPageSize}",
                new { field = "pageSize" });
        }
        return new PageRequest(number, size);
    }
}
