using Microsoft.AspNetCore.Mvc;

namespace TicketAspire.Api.Infrastructure.Input;

/// <summary>
/// Refuses an API request whose path (route values included) or query string breaks <see cref="TextInput"/>: 400 problem
/// details <c>invalid_characters</c> naming the parameter, before anything else reads it. JSON bodies are checked as
/// they are read, by <see cref="CleanStringConverter"/>.
/// </summary>
public sealed class TextInputMiddleware(RequestDelegate next)
{
    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (Offending(context.Request) is { } field)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            var problem = new ProblemDetails
            {
                Type = Problems.TypeBase + TextInput.ProblemCode,
                Title = "The request is invalid",
                Status = StatusCodes.Status400BadRequest,
                Detail = TextInput.Rule,
                Extensions =
                {
                    ["code"] = TextInput.ProblemCode,
                    ["errors"] = new Dictionary<string, string[]> { [field] = [TextInput.Rule] },
                },
            };
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = problem,
            });
            return;
        }

        await next(context);
    }

    /// <summary>The first parameter that breaks the rule ("path", a query key, or "query"), or null.</summary>
    public static string? Offending(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!TextInput.IsClean(request.Path.Value))
        {
            return "path";
        }

        foreach (var (key, values) in request.Query)
        {
            if (!TextInput.IsClean(key))
            {
                return "query";
            }

            foreach (var value in values)
            {
                if (!TextInput.IsClean(value))
                {
                    return key;
                }
            }
        }

        return null;
    }
}
