using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace TicketAspire.Api.Infrastructure.Security;

/// <summary>
/// Answers refused requests with RFC 9457 problem details: 401 <c>unauthorized</c> (with the <c>WWW-Authenticate</c>
/// challenge) when no token was sent, 403 <c>forbidden</c> naming the grants the endpoint needs when the token lacks them.
/// </summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    /// <inheritdoc />
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Challenged)
        {
            await context.ChallengeAsync();
            await Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, "unauthorized", "Authentication required",
                "This operation needs an access token from the cell's identity service (Authorization: Bearer …).");
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var reasons = authorizeResult.AuthorizationFailure?.FailureReasons.Select(r => r.Message).ToList() ?? [];
            await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, "forbidden", "Forbidden",
                reasons.Count > 0 ? $"The token does not allow this operation. {string.Join(" ", reasons)}" : "The token does not allow this operation.");
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
