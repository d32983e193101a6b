using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace TicketAspire.Api.Infrastructure;

/// <summary>Problem details of the webhook and mailbox endpoints (same type base and <c>code</c> as <see cref="Problems"/>).</summary>
public static class WebhookProblems
{
    public const string UrlRefused = "webhook.url_refused";
    public const string EndpointNotFound = "webhook.endpoint_not_found";
    public const string DeliveryNotFound = "webhook.delivery_not_found";
    public const string EndpointDisabled = "webhook.endpoint_disabled";
    public const string MailNotFound = "mail.not_found";
    public const string EndpointLimitReached = "webhook.endpoint_limit_reached";

    /// <summary>422: the endpoint URL is refused (SSRF rule); <c>reason</c> says why.</summary>
    public static ProblemHttpResult Refused(string reason) =>
        Problem(StatusCodes.Status422UnprocessableEntity, UrlRefused, "Webhook URL refused", $"The URL is refused: {reason}.", reason);

    public static ProblemHttpResult EndpointMissing() =>
        Problem(StatusCodes.Status404NotFound, EndpointNotFound, "Webhook endpoint not found", "No webhook endpoint with this id.");

    public static ProblemHttpResult DeliveryMissing() =>
        Problem(StatusCodes.Status404NotFound, DeliveryNotFound, "Webhook delivery not found", "No webhook delivery with this id.");

    public static ProblemHttpResult Disabled() =>
        Problem(StatusCodes.Status409Conflict, EndpointDisabled, "Webhook endpoint disabled", "The endpoint is disabled; enable it (PATCH enabled=true) before replaying.");

    /// <summary>409: the reseller has as many endpoints as it may register (<c>Webhooks:MaxEndpoints</c>); <c>limit</c> says how many.</summary>
    public static ProblemHttpResult LimitReached(int limit)
    {
        var problem = new ProblemDetails
        {
            Type = Problems.TypeBase + EndpointLimitReached, Title = "Webhook endpoint limit reached", Status = StatusCodes.Status409Conflict,
            Detail = $"A reseller may register at most {limit} webhook endpoints; delete one before registering another.",
            Extensions = { ["code"] = EndpointLimitReached, ["limit"] = limit },
        };
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult MailMissing() =>
        Problem(StatusCodes.Status404NotFound, MailNotFound, "E-mail not found", "No e-mail with this id in the mailbox.");

    private static ProblemHttpResult Problem(int status, string code, string title, string detail, string? reason = null)
    {
        var problem = new ProblemDetails { Type = Problems.TypeBase + code, Title = title, Status = status, Detail = detail, Extensions = { ["code"] = code } };
        if (reason is not null)
        {
            problem.Extensions["reason"] = reason;
        }

        return TypedResults.Problem(problem);
    }
}
