using Microsoft.AspNetCore.Http;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Api.Tests;

/// <summary>The mapping of the core's refusals to problem details.</summary>
public sealed class ProblemsShould
{
    [Fact]
    public void AnswerABlockedAccountWith429RetryAfterAndTheBlocksEnd()
    {
        var until = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var error = new InventoryError(ErrorCodes.AccountBlocked, "Blocked.", Extensions: new Dictionary<string, object?> { ["blocked_until"] = until },
            RetryAfterSeconds: 1800, Block: new AccountStanding(until, BlockStarted: true, Unconfirmed: 10));
        var context = new DefaultHttpContext();

        var problem = Problems.From(error, context);

        Assert.Equal(StatusCodes.Status429TooManyRequests, problem.StatusCode);
        Assert.Equal(Problems.TypeBase + "account_blocked", problem.ProblemDetails.Type);
        Assert.Equal("account_blocked", problem.ProblemDetails.Extensions["code"]);
        Assert.Equal(until, problem.ProblemDetails.Extensions["blocked_until"]);
        Assert.Equal(["blocked_until", "code"], problem.ProblemDetails.Extensions.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("1800", context.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public void AddAnHttpHintOnlyToTheErrorItIsFor()
    {
        var required = new InventoryError(ErrorCodes.AdmissionRequired, "This event has a waiting room.");
        var other = new InventoryError(ErrorCodes.SoldOut, "Sold out.");

        Assert.Equal("This event has a waiting room. Join with POST /v1/queue/events/x/join.",
            required.WithHint(ErrorCodes.AdmissionRequired, "Join with POST /v1/queue/events/x/join.").Detail);
        Assert.Same(other, other.WithHint(ErrorCodes.AdmissionRequired, "Join with POST /v1/queue/events/x/join."));
        Assert.Equal("admission_required", Problems.From(required).ProblemDetails.Extensions["code"]);
    }
}
