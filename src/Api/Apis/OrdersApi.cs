using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Services;

namespace TicketAspire.Api.Apis;

/// <summary>Orders and their tickets; an end user's own past orders.</summary>
public static class OrdersApi
{
    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/").WithTags("Orders");

        api.MapGet("/orders/{id:guid}", GetOrder).WithName("GetOrder").WithSummary("Get an order with its tickets")
            .RequireAuthorization(ApiPolicies.OrdersRead);
        api.MapGet("/orders", ListOrders).WithName("ListOrders").WithSummary("List a customer's orders, newest first")
            .RequireAuthorization(ApiPolicies.OrdersRead);
        api.MapGet("/me/orders", ListMyOrders).WithName("ListMyOrders").WithSummary("The signed-in end user's orders, newest first")
            .RequireAuthorization(ApiPolicies.Customer);

        return api;
    }

    public static async Task<Results<Ok<OrderView>, ProblemHttpResult>> GetOrder(Guid id, HttpContext context, OrderQueries orders, CancellationToken ct)
    {
        var result = await orders.GetAsync(id, context.GetActor().CustomerRef, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
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
