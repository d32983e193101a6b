using Microsoft.Extensions.Options;
using TicketAspire.Inventory;
using TicketAspire.Inventory.CheckIn;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Pricing;
using TicketAspire.Inventory.Queue;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.Options;
using TicketAspire.Tenancy.Rules;
using TicketAspire.Webhooks.Mail;
using TicketAspire.Webhooks.Services;

namespace TicketAspire.Worker;

/// <summary>Everything the worker runs besides the service defaults.</summary>
public static class WorkerServiceExtensions
{
    /// <summary>
    /// The cell's resellers (catalog store), their storage, the inventory core (<see cref="InventoryServiceCollectionExtensions.AddInventory"/>,
    /// the same registrations as the API's), and the background loops: hold sweep, waiting rooms and waitlists, payouts,
    /// refunds, data retention, dynamic pricing, webhooks and e-mail.
    /// </summary>
    public static IHostApplicationBuilder AddWorkerServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddMultiTenant<ResellerTenantInfo>().WithCatalogStore();
        services.AddResellerStorage(builder.Configuration);
        // the inventory core, as the API registers it; each reseller's ResellerScope is opened by the loops (ResellerLoopContext)
        services.AddInventory();
        services.AddTicketSigning();
        services.AddOptions<HoldOptions>().BindConfiguration(nameof(HoldOptions));
        services.ConfigurePerTenant<HoldOptions, ResellerTenantInfo>((options, reseller) =>
            builder.Configuration.GetSection($"Resellers:{reseller.Id}:{nameof(HoldOptions)}").Bind(options));
        services.AddOptions<SweepOptions>().BindConfiguration(nameof(SweepOptions))
            .Validate(o => o.Interval > TimeSpan.Zero && o.BatchSize > 0, "SweepOptions: Interval and BatchSize must be positive")
            .ValidateOnStart();
        services.AddSingleton<ResellerLoopContext>();
        services.AddSingleton<ResellerScopes>();
        services.AddSingleton<HoldSweepWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<HoldSweepWorker>());
        services.AddOptions<WaitingRoomOptions>().BindConfiguration("WaitingRoom")
            .Configure(o => o.OfferSeconds = builder.Configuration.GetValue("Waitlist:OfferSeconds", o.OfferSeconds))
            .Validate(o => o.SigningKey is { Length: >= 32 } && o.Interval > TimeSpan.Zero && o.OfferSeconds is >= 30 and <= HoldService.MaxOfferSeconds,
                "WaitingRoom: SigningKey of at least 32 characters, a positive Interval; Waitlist:OfferSeconds 30 to 86400")
            .ValidateOnStart();
        services.AddSingleton(sp => new AdmissionTokens(sp.GetRequiredService<IOptions<WaitingRoomOptions>>().Value.SigningKey!));
        services.AddHostedService<WaitingRoomWorker>();
        builder.AddPayouts();
        services.AddOptions<RefundWorkerOptions>().BindConfiguration("RefundWorker")
            .Validate(o => o.Interval > TimeSpan.Zero && o.BatchSize > 0, "RefundWorker: Interval and BatchSize must be positive")
            .ValidateOnStart();
        services.AddHostedService<RefundWorker>();
        services.AddOptions<RetentionOptions>().BindConfiguration("Retention")
            .Configure(o => o.Days = builder.Configuration.GetValue("CellRules:DataRetentionDays", 0))
            .Validate(o => o.Days >= 0 && o.Interval > TimeSpan.Zero && o.BatchSize > 0,
                "Retention: Interval and BatchSize must be positive; CellRules:DataRetentionDays 0 (keep for ever) or more")
            .ValidateOnStart();
        services.AddHostedService<RetentionWorker>();
        // the cell's rules, as the API reads them (the reseller's override included); dynamic pricing reads them per pass
        services.AddCellRules();
        services.AddSingleton<IPriceRules>(sp => new DelegatePriceRules(async ct =>
            await sp.GetRequiredService<RuleBook>().DynamicPricingAsync(ct) is { } range ? new PriceRange(range.MinPercent, range.MaxPercent) : null));
        services.AddOptions<PricingOptions>().BindConfiguration("Pricing")
            .Validate(o => o.IsValid(), "Pricing: positive Interval, Window of a minute or more, weights >= 0, LowScore <= MediumScore <= HighScore, percents 1..1000")
            .ValidateOnStart();
        services.AddSingleton<PricingWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<PricingWorker>());
        services.AddOptions<CellOptions>().BindConfiguration(CellOptions.SectionName);
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName)
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.BatchSize > 0 && o.LeaseTimeout > o.RequestTimeout && o.RetrySchedule.All(t => t > TimeSpan.Zero)
                    && o.MaxConcurrentDeliveriesPerReseller > 0 && o.MaxConcurrentDeliveriesPerEndpoint > 0,
                "Webhooks: PollInterval, BatchSize, MaxConcurrentDeliveriesPerReseller, MaxConcurrentDeliveriesPerEndpoint and every RetrySchedule step must be positive, LeaseTimeout longer than RequestTimeout")
            .ValidateOnStart();
        services.AddSingleton<WebhookMetrics>();
        // the local e-mail sender writes to each reseller's mailbox table; an SMTP or provider adapter replaces this registration
        services.AddSingleton<IEmailSender>(sp => new MailboxEmailSender(
            async (reseller, ct) => await sp.GetRequiredService<TicketAspire.Tenancy.Data.ResellerDataSources>().GetAsync(
                await sp.GetRequiredService<TicketAspire.Tenancy.Stores.IMultiTenantStore<ResellerTenantInfo>>().GetAsync(reseller)
                    ?? throw new InvalidOperationException($"unknown reseller '{reseller}'")),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<WebhookWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookWorker>());
        services.AddHealthChecks().AddCheck<HoldSweepHealthCheck>("hold-sweep").AddCheck<WebhookHealthCheck>("webhooks");
        return builder;
    }
}
