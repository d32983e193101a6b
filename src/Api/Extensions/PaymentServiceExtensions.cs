using TicketAspire.Api.Infrastructure;
using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Payments;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Options;

namespace TicketAspire.Api.Extensions;

/// <summary>Checkout, refunds and PSP events: the payment gateway and the per-reseller services built on it.</summary>
public static class PaymentServiceExtensions
{
    public static IServiceCollection AddPayments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPaymentGateway();

        services.AddScoped(sp =>
        {
            var storage = sp.GetRequiredService<ResellerStorage>();
            return new CheckoutService(storage.Db, sp.GetRequiredService<HoldService>(), storage.Cache, sp.GetRequiredService<IPaymentGateway>(),
                sp.GetRequiredService<IMultiTenantOptions<FeePlan>>().Value, sp.GetRequiredService<PaymentOptions>(), sp.GetRequiredService<TimeProvider>(),
                storage.Tenant.Id, sp.GetRequiredService<ILogger<CheckoutService>>());
        });
        services.AddScoped(sp =>
        {
            var storage = sp.GetRequiredService<ResellerStorage>();
            return new RefundService(storage.Db, storage.Cache, sp.GetRequiredService<IPaymentGateway>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<RefundService>>());
        });
        services.AddScoped(sp =>
        {
            var storage = sp.GetRequiredService<ResellerStorage>();
            return new EventCancellation(storage.Db, storage.Cache, sp.GetRequiredService<TimeProvider>());
        });
        services.AddScoped(sp =>
        {
            var storage = sp.GetRequiredService<ResellerStorage>();
            return new PspEventProcessor(storage.Db, sp.GetRequiredService<CheckoutService>(), storage.Cache, sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<PspEventProcessor>>());
        });
        return services;
    }
}
