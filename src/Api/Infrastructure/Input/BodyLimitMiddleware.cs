using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace TicketAspire.Api.Infrastructure.Input;

/// <summary>
/// A request that announces a body larger than its endpoint reads (<c>Content-Length</c> over the limit routing set from
/// <see cref="RequestLimitOptions"/>) is refused at once with 413 <c>request_too_large</c>, before a byte of it is read.
/// A body without a length is cut off by Kestrel at the same limit as it is read.
/// </summary>
public sealed class BodyLimitMiddleware(RequestDelegate next)
{
    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        // the endpoint's limit (routing applies it too; set here as well so the rule holds whatever the order)
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize is { } limit && feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = limit;
        }

        if (context.Request.ContentLength is { } length && feature?.MaxRequestBodySize is { } max && length > max)
        {
            await Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "request_too_large", "Request too large",
                $"The body is larger than this endpoint accepts ({max} bytes).");
            return;
        }

        await next(context);
    }
}
