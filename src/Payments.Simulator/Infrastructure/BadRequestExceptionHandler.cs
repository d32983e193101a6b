using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace TicketAspire.Payments.Simulator.Infrastructure;

/// <summary>Unreadable bodies and unbindable parameters answer 400 <c>invalid_request</c>, never 500.</summary>
public sealed class BadRequestExceptionHandler : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var detail = bad.InnerException is JsonException json ? $"The JSON body is invalid: {json.Message}" : bad.Message;
        await PspProblems.WriteAsync(httpContext, PspProblems.Codes.InvalidRequest, detail);
        return true;
    }
}
