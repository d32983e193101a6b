using Microsoft.AspNetCore.Http.HttpResults;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Services;

namespace TicketAspire.Api.Apis;

/// <summary>Orders and their tickets.</summary>
public static class OrdersApi
{
    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/orders").WithTags("Orders");

        api.MapGet("/{id:guid}", GetOrder).WithName("GetOrder").WithSummary("Get an order with its tickets");
        api.MapGet("/", ListOrders).WithName("ListOrders").WithSummary("List a customer's orders, newest first");

        return api;
    }

    public static async Task<Results<Ok<OrderView>, ProblemHttpResult>> GetOrder(Guid id, OrderQueries orders, CancellationToken ct)
    {
        var result = await orders.GetAsync(id, ct);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    public static async Task<Results<Ok<OrderList>, ProblemHttpResult>> ListOrders(HttpRequest request, OrderQueries orders, CancellationToken ct)
    {
        var customerRef = request.Query["customer_ref"].ToString();
        if (string.IsNullOrWhiteSpace(customerRef) || customerRef.Length > 200)
        {
            return Problems.Invalid("customer_ref", "Required, at most 200 characters.");
        }

        var errors = new Dictionary<string, string[]>();
        var (page, size) = (Paging.Page(request.Query, errors), Paging.Size(request.Query, errors));
        if (errors.Count > 0)
        {
            return Problems.From(InventoryError.Validation(errors));
        }

        var list = await orders.ListByCustomerAsync(customerRef.Trim(), page, size, ct);
        return TypedResults.Ok(new OrderList(list, page, size));
    }
}

/// <summary>A page of a customer's orders.</summary>
public sealed record OrderList(IReadOnlyList<OrderView> Orders, int Page, int Size);
