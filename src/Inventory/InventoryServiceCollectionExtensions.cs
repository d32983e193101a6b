using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TicketAspire.Inventory.CheckIn;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Ledger;
using TicketAspire.Inventory.Live;
using TicketAspire.Inventory.Orders;
using TicketAspire.Inventory.Payments;
using TicketAspire.Inventory.Pricing;
using TicketAspire.Inventory.Privacy;
using TicketAspire.Inventory.Queue;
using TicketAspire.Inventory.Resale;
using TicketAspire.Inventory.Sales;
using TicketAspire.Inventory.Tickets;
using TicketAspire.Inventory.Transfers;
using TicketAspire.Inventory.Waitlist;

namespace TicketAspire.Inventory;

/// <summary>The inventory core's registrations: one call, the same in the API and the worker.</summary>
public static class InventoryServiceCollectionExtensions
{
    /// <summary>
    /// Registers the core: every use-case owner scoped to the <see cref="ResellerScope"/> the host opens (events, holds,
    /// sale, orders, checkout, refunds, waiting rooms, waitlists, support tickets, ledger, personal data and its retention), the per-process state they share (the claim
    /// batchers, event metadata and shortfall memories, the waiting-room cache) and the payment gateway. The host adds
    /// <see cref="TimeProvider"/>, <see cref="AdmissionTokens"/> (the cell's signing key) and <see cref="TicketSigner"/> (the cell's ticket signing seed), and may bind
    /// <see cref="ClaimBatchingOptions"/> and <see cref="AccountBlockOptions"/> (the API binds the <c>Abuse</c> section;
    /// the worker only makes waitlist offers, which blocks do not apply to) from configuration (defaults otherwise).
    /// </summary>
    public static IServiceCollection AddInventory(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddPaymentGateway();
        services.AddOptions<ClaimBatchingOptions>();
        services.AddOptions<AccountBlockOptions>();

        // shared by every request and pass of this process
        services.TryAddSingleton<EventMetadataCache>();
        services.TryAddSingleton(sp => new ShortfallMemo(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new ClaimBatchers(sp.GetRequiredService<IOptions<ClaimBatchingOptions>>().Value));
        services.TryAddSingleton<WaitingRoomCache>();
        services.TryAddSingleton<PresaleCache>();

        // one reseller's work
        services.AddScoped<ResellerScope>();
        services.AddScoped(sp => Scope(sp).Cache);
        services.AddScoped(sp => new EventCatalog(Scope(sp).Db, Scope(sp).Cache, Time(sp), sp.GetService<IPriceRules>()));
        services.AddScoped(sp => new SoldOutDetector(Scope(sp).Db, Time(sp)));
        services.AddScoped(sp => new AdmissionGate(Scope(sp).Db, sp.GetRequiredService<AdmissionTokens>(), Scope(sp).ResellerId, sp.GetRequiredService<WaitingRoomCache>()));
        services.AddScoped(sp => new WaitingRoomService(Scope(sp).Db, sp.GetRequiredService<AdmissionTokens>(), Scope(sp).ResellerId,
            sp.GetRequiredService<WaitingRoomCache>(), Time(sp)));
        services.AddScoped(sp => new PresaleService(Scope(sp).Db, sp.GetRequiredService<PresaleCache>(), Time(sp)));
        services.AddScoped(sp => new LotteryService(Scope(sp).Db, sp.GetRequiredService<WaitingRoomService>(), sp.GetRequiredService<WaitingRoomCache>(), Time(sp)));
        services.AddScoped(sp => new HoldService(Scope(sp).Db, Scope(sp).Cache, Time(sp), Scope(sp).Holds, sp.GetRequiredService<EventMetadataCache>(),
            sp.GetRequiredService<AdmissionGate>(), sp.GetRequiredService<ClaimBatchers>().For(Scope(sp).Db), sp.GetRequiredService<ShortfallMemo>(),
            sp.GetRequiredService<AccountBlocks>(), sp.GetService<IPriceRules>()));
        services.AddScoped(sp => new AccountBlocks(Scope(sp).Db, Time(sp), sp.GetRequiredService<IOptions<AccountBlockOptions>>().Value));
        services.AddScoped(sp => new HoldSweeper(Scope(sp).Db, Time(sp)));
        services.AddScoped(sp => new DemandPricer(Scope(sp).Db, Scope(sp).Cache, Time(sp)));
        services.AddScoped(sp => new RetentionSweeper(Scope(sp).Db, Time(sp)));
        services.AddScoped(sp => new PersonalData(Scope(sp).Db, Time(sp)));
        services.AddScoped(sp => new WaitlistService(Scope(sp).Db, Time(sp)));
        services.AddScoped(sp => new SaleService(Scope(sp).Db, Scope(sp).Cache, Time(sp), Scope(sp).Fees));
        services.AddScoped(sp => new ResaleService(Scope(sp).Db, Time(sp), Scope(sp).Holds));
        services.AddScoped(sp => new TicketQueries(Scope(sp).Db));
        services.AddScoped(sp => new TransferService(Scope(sp).Db, Time(sp)));
        services.AddScoped(sp => new CheckInService(Scope(sp).Db, Time(sp), sp.GetRequiredService<TicketSigner>(), Scope(sp).ResellerId));
        services.AddScoped(sp => new Vouchers.VoucherService(Scope(sp).Db, Time(sp)));
        services.AddScoped(sp => new Support.SupportTickets(Scope(sp).Db, Time(sp)));
        services.AddScoped(sp => new Storefront.StorefrontThemes(Scope(sp).Db, Time(sp)));
        services.AddScoped(sp => new Groups.GroupQuoteService(Scope(sp).Db, Scope(sp).Cache, sp.GetRequiredService<HoldService>(), sp.GetRequiredService<SaleService>(),
            Scope(sp).Fees, sp.GetService<Groups.GroupQuoteOptions>() ?? new Groups.GroupQuoteOptions(), Time(sp)));
        services.AddScoped(sp => new Passes.PassService(Scope(sp).Db, Scope(sp).Cache, sp.GetRequiredService<SaleService>(), sp.GetRequiredService<IPaymentGateway>(),
            Scope(sp).Fees, sp.GetRequiredService<PaymentOptions>(), Scope(sp).Holds, Time(sp), Scope(sp).ResellerId, sp.GetRequiredService<ILogger<Passes.PassService>>()));
        services.AddScoped(sp => new EventChanges(Scope(sp).Db, Scope(sp).Cache, Time(sp)));
        services.AddScoped(sp => new OrderQueries(Scope(sp).Db));
        services.AddScoped(sp => new SeatFeed(Scope(sp).Db));
        services.AddScoped(sp => new LedgerReports(Scope(sp).Db));
        services.AddScoped(sp => new PayoutScheduler(Scope(sp).Db, Time(sp)));
        services.AddScoped(sp => new CheckoutService(Scope(sp).Db, sp.GetRequiredService<SaleService>(), Scope(sp).Cache, sp.GetRequiredService<IPaymentGateway>(),
            Scope(sp).Fees, sp.GetRequiredService<PaymentOptions>(), Time(sp), Scope(sp).ResellerId, sp.GetRequiredService<ILogger<CheckoutService>>()));
        services.AddScoped(sp => new RefundService(Scope(sp).Db, Scope(sp).Cache, sp.GetRequiredService<IPaymentGateway>(), Time(sp),
            sp.GetRequiredService<ILogger<RefundService>>()));
        services.AddScoped(sp => new EventCancellation(Scope(sp).Db, Scope(sp).Cache, Time(sp)));
        services.AddScoped(sp => new PspEventProcessor(Scope(sp).Db, sp.GetRequiredService<CheckoutService>(), Scope(sp).Cache, Time(sp),
            sp.GetRequiredService<ILogger<PspEventProcessor>>(), sp.GetRequiredService<Passes.PassService>()));
        return services;
    }

    private static ResellerScope Scope(IServiceProvider sp) => sp.GetRequiredService<ResellerScope>();

    private static TimeProvider Time(IServiceProvider sp) => sp.GetRequiredService<TimeProvider>();
}
