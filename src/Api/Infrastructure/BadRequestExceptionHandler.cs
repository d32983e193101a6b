using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using TicketAspire.Api.Infrastructure.Input;

namespace TicketAspire.Api.Infrastructure;

/// <summary>
/// Malformed bodies and unbindable parameters are the client's error: answer 400 problem details naming what failed,
/// never 500. A body over the endpoint's size limit is 413 <c>request_too_large</c>; a JSON string with control
/// characters is 400 <c>invalid_characters</c> naming the field.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var (code, title, detail) = (bad.StatusCode, bad.InnerException) switch
        {
            (StatusCodes.Status413PayloadTooLarge, _) => ("request_too_large", "Request too large",
                $"The body is larger than this endpoint accepts ({MaxBodyBytes(httpContext)} bytes)."),
            (_, InvalidTextException text) => (TextInput.ProblemCode, "The request is invalid", $"{TextInput.Rule} ({text.Path})"),
            (_, JsonException json) => ("bad_request", "The request could not be read", $"The JSON body is invalid: {json.Message}"),
            _ => ("bad_request", "The request could not be read", bad.Message),
        };
        var problem = new ProblemDetails
        {
            Type = Problems.TypeBase + code,
            Title = title,
            Status = bad.StatusCode,
            Detail = detail,
            Extensions = { ["code"] = code },
        };
        if (bad.InnerException is InvalidTextException { Path: { } path })
        {
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [FieldOf(path)] = [TextInput.Rule] };
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = problem,
        });
    }

    /// <summary><c>$.venue.name</c> → <c>venue.name</c>, <c>$.sections[0].name</c> → <c>sections[0].name</c>.</summary>
    private static string FieldOf(string jsonPath) => jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');

    private static string MaxBodyBytes(HttpContext context) =>
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
}
