using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Payments;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Api.Apis;

/// <summary>Orders and their tickets; an end user's own past orders.</summary>
public static class OrdersApi
{
    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/").WithTags("Orders");

        api.MapGet("/orders/{id:guid}", GetOrder).WithName("GetOrder").WithSummary("Get an order with its tickets")
            .RequireAuthorization(ApiPolicies.CheckoutRead);
        api.MapGet("/orders", ListOrders).WithName("ListOrders").WithSummary("List a customer's orders, newest first")
            .RequireAuthorization(ApiPolicies.OrdersRead);
        api.MapPost("/orders/{id:guid}/refund", RefundOrder).WithName("RefundOrder")
            .WithSummary("Refund an order in full through the PSP (within the event's policy; support staff may force it)")
            .RequireAuthorization(ApiPolicies.OrdersWrite);
        api.MapPost("/me/orders/{id:guid}/refund", RefundMyOrder).WithName("RefundMyOrder")
            .WithSummary("The signed-in end user (or guest) asks for a refund of their order, within the event's refund policy")
            .RequireAuthorization(ApiPolicies.Buyer);
        api.MapGet("/me/orders", ListMyOrders).WithName("ListMyOrders").WithSummary("The signed-in end user's (or guest's) orders, newest first")
            .RequireAuthorization(ApiPolicies.Buyer);

        return api;
    }

    public static async Task<Results<Ok<OrderView>, ProblemHttpResult>> GetOrder(Guid id, HttpContext context, OrderQueries orders, CancellationToken ct)
    {
        var result = await orders.GetAsync(id, context.GetActor().CustomerRef, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<RefundView>, Accepted<RefundView>, ProblemHttpResult>> RefundOrder(
        Guid id, RefundRequest? request, HttpContext context, RefundService refunds, CancellationToken ct)
    {
        var actor = context.GetActor();
        // support staff force the refund past the event's policy (the audit log records who did it); an end user goes
        // through the same policy as on /v1/me/orders/{id}/refund
        var initiatedBy = actor.IsStaff ? $"support:{actor.ClientId}" : actor.IsCustomer ? actor.CustomerRef! : $"integrator:{actor.ClientId}";
        var result = await refunds.RequestAsync(id, request?.Reason, initiatedBy, actor.CustomerRef, force: actor.IsStaff, ct);
        return Answer(result, context);
    }

    public static async Task<Results<Ok<RefundView>, Accepted<RefundView>, ProblemHttpResult>> RefundMyOrder(
        Guid id, RefundRequest? request, HttpContext context, RefundService refunds, CancellationToken ct)
    {
        var actor = context.GetActor();
        var result = await refunds.RequestAsync(id, request?.Reason, actor.CustomerRef!, actor.CustomerRef, force: false, ct);
        return Answer(result, context);
    }

    private static Results<Ok<RefundView>, Accepted<RefundView>, ProblemHttpResult> Answer(Result<RefundView> result, HttpContext context)
    {
        if (result.Error is { } error)
        {
            return Problems.From(error, context);
        }

        // requested but not yet done by the PSP: the worker finishes it; refused by the PSP for good: failed (asking again tries again)
        return result.Value! switch
        {
            { Status: "succeeded" } refund => TypedResults.Ok(refund),
            { Status: "failed" } refund => Problems.From(new InventoryError(ErrorCodes.RefundFailed,
                $"The payment service refused the refund: {refund.LastError}",
                Extensions: new Dictionary<string, object?> { ["refund_id"] = refund.Id, ["failure_code"] = refund.FailureCode }), context),
            var refund => TypedResults.Accepted($"/v1/orders/{context.GetRouteValue("id")}", refund),
        };
    }

    public static async Task<Results<Ok<OrderList>, ProblemHttpResult>> ListOrders(HttpContext context, OrderQueries orders, CancellationToken ct)
    {
        var actor = context.GetActor();
        var customerRef = context.Request.Query["customer_ref"].ToString().Trim();
        if (actor.IsCustomer)
        {
            if (customerRef.Length > 0 && customerRef != actor.CustomerRef)
            {
                return Problems.Forbidden("An end user lists their own orders only.");
            }

            customerRef = actor.CustomerRef!;
        }
        else if (customerRef.Length == 0 || customerRef.Length > 200)
        {
            return Problems.Invalid("customer_ref", "Required, at most 200 characters.");
        }

        return await PageAsync(context.Request, orders, customerRef, ct);
    }

    public static Task<Results<Ok<OrderList>, ProblemHttpResult>> ListMyOrders(HttpContext context, OrderQueries orders, CancellationToken ct) =>
        PageAsync(context.Request, orders, context.GetActor().CustomerRef!, ct);

    private static async Task<Results<Ok<OrderList>, ProblemHttpResult>> PageAsync(HttpRequest request, OrderQueries orders, string customerRef, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var (page, size) = (Paging.Page(request.Query, errors), Paging.Size(request.Query, errors));
        if (errors.Count > 0)
        {
            return Problems.From(InventoryError.Validation(errors));
        }

        var list = await orders.ListByCustomerAsync(customerRef, page, size, ct);
        return TypedResults.Ok(new OrderList(list, page, size));
    }
}

/// <summary>A page of a customer's orders.</summary>
public sealed record OrderList(IReadOnlyList<OrderView> Orders, int Page, int Size);

/// <summary>Why a refund is asked for.</summary>
public sealed record RefundRequest(string? Reason);
