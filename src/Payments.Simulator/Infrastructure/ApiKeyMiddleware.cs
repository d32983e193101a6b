using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace TicketAspire.Payments.Simulator.Infrastructure;

/// <summary>Platform endpoints (<see cref="RequiresApiKeyAttribute"/>) answer 401 without <c>Authorization: Bearer {Psp:ApiKey}</c>.</summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<PspOptions> options)
{
    private readonly byte[] _apiKey = Encoding.UTF8.GetBytes(options.Value.ApiKey);

    /// <summary>Checks the API key of platform endpoints.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetEndpoint()?.Metadata.GetMetadata<RequiresApiKeyAttribute>() is not null && !HasApiKey(context.Request))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await PspProblems.WriteAsync(context, PspProblems.Codes.Unauthorized, "Send the API key as 'Authorization: Bearer <key>'.");
            return;
        }

        await next(context);
    }

    private bool HasApiKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
               && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), _apiKey);
    }
}
