using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;

namespace TicketAspire.Api.Infrastructure.Security;

/// <summary>
/// A request that sends a token which fails validation is answered 401 <c>invalid_token</c> everywhere, public browsing
/// included: a caller that believes it is authenticated learns that it is not, instead of silently acting anonymously.
/// </summary>
public sealed class InvalidTokenMiddleware(RequestDelegate next)
{
    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true || !context.Request.Headers.Authorization.Any(h => h?.Length > 0))
        {
            await next(context);
            return;
        }

        // the authentication middleware keeps only successful results; the handler's result of this request is cached
        var failure = (await context.AuthenticateAsync()).Failure;
        var reason = failure switch
        {
            SecurityTokenExpiredException => "The token has expired.",
            SecurityTokenNotYetValidException => "The token is not valid yet.",
            SecurityTokenInvalidAudienceException => "The token is not meant for this API (audience).",
            SecurityTokenInvalidIssuerException => "The token's issuer is not an issuer of this cell.",
            SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The token's signature is invalid.",
            SecurityTokenInvalidAlgorithmException => "The token's signing algorithm is not accepted.",
            SecurityTokenInvalidTypeException => "Only access tokens (typ at+jwt) are accepted.",
            SecurityTokenMalformedException or ArgumentException => "The token is malformed.",
            null => "Only 'Authorization: Bearer <access token>' is accepted.",
            _ => failure.Message.StartsWith("The token", StringComparison.Ordinal) ? failure.Message : "The token is invalid.",
        };
        context.Response.Headers.WWWAuthenticate = $"Bearer error=\"invalid_token\", error_description=\"{reason}\"";
        await Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, "invalid_token", "Invalid access token", reason);
    }
}
