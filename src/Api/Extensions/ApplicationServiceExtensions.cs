using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using TicketAspire.Inventory.Pricing;
using TicketAspire.Tenancy.Options;
using TicketAspire.Api.Infrastructure;
using TicketAspire.Api.Infrastructure.Abuse;
using TicketAspire.Api.Infrastructure.Audit;
using TicketAspire.Api.Infrastructure.Live;
using TicketAspire.Api.Infrastructure.Idempotency;
using TicketAspire.Api.Infrastructure.Input;
using TicketAspire.Api.Infrastructure.RateLimiting;
using TicketAspire.Api.Infrastructure.Rules;
using TicketAspire.Tenancy.Rules;
using TicketAspire.Api.Infrastructure.Security;
using TicketAspire.Api.Infrastructure.Shedding;
using TicketAspire.Inventory;
using TicketAspire.Inventory.CheckIn;
using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Ledger;
using TicketAspire.Inventory.Queue;
using TicketAspire.Inventory.Events;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;
using TicketAspire.Tenancy;
using TicketAspire.Tenancy.AspNetCore;

namespace TicketAspire.Api.Extensions;

/// <summary>Everything the API needs besides the service defaults.</summary>
public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = null;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            // every JSON string of a body under the text rule (no control characters, no unpaired surrogates)
            o.SerializerOptions.Converters.Add(new CleanStringConverter());
        });
        services.AddProblemDetails();
        // Unreadable bodies and parameters throw so BadRequestExceptionHandler can say what was wrong (in every environment).
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Postgres out of reach (refused, broken, timed out, restarting) → 503 database_unavailable + Retry-After, never 500
        services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        services.AddRequestLimits();

        services.AddOptions<CellOptions>().BindConfiguration(CellOptions.SectionName)
            .Validate(c => Inventory.Model.Money.IsCurrencyCode(c.Currency), "Cell:Currency must be an ISO 4217 code")
            .ValidateOnStart();
        services.AddOptions<HoldOptions>().BindConfiguration(nameof(HoldOptions))
            .Validate(o => o.MinExpireSeconds >= 1 && o.MinExpireSeconds <= o.DefaultExpireSeconds && o.DefaultExpireSeconds <= o.MaxExpireSeconds,
                "HoldOptions: 1 <= MinExpireSeconds <= DefaultExpireSeconds <= MaxExpireSeconds")
            .Validate(o => o.MaxTicketsPerCustomerPerEvent >= 1, "HoldOptions: MaxTicketsPerCustomerPerEvent >= 1")
            .ValidateOnStart();
        // a reseller may narrow the hold limits: Resellers:<id>:HoldOptions (the AppHost passes them from the cell file)
        services.ConfigurePerTenant<HoldOptions, ResellerTenantInfo>((options, reseller) =>
            builder.Configuration.GetSection($"Resellers:{reseller.Id}:{nameof(HoldOptions)}").Bind(options));

        services.AddSingleton(TimeProvider.System);
        // the validated token's reseller first, then the host (public browsing); when both name one they must agree
        services.AddMultiTenant<ResellerTenantInfo>()
            .WithClaimStrategy()
            .WithHostStrategy()
            .WithCatalogStore();
        services.AddResellerStorage(builder.Configuration);
        // onboarding and offboarding at run time: jobs for the cell's provisioner, operator actions audited in the catalog
        services.AddSingleton<TicketAspire.Api.Infrastructure.Onboarding.ProvisioningRequests>();
        services.AddSingleton<TicketAspire.Api.Infrastructure.Onboarding.OperatorAudit>();
        services.AddApiRateLimiting(builder.Configuration);
        services.AddIdempotency();
        services.AddLoadShedding();
        services.AddOptions<AbuseOptions>().BindConfiguration(AbuseOptions.SectionName);
        services.AddCellRules();
        // each reseller's fee plan with the rules' tax rate (the fee plans themselves: Fees, Resellers:<id>:Fees)
        services.AddSingleton<RuleFeePlans>();
        // dynamic pricing at hold time and in event views: the reseller's rule (cached), as the worker reads it
        services.AddSingleton<IPriceRules>(sp => new DelegatePriceRules(async ct =>
            await sp.GetRequiredService<RuleBook>().DynamicPricingAsync(ct) is { } range ? new PriceRange(range.MinPercent, range.MaxPercent) : null));
        services.AddSingleton<HoldVelocity>();
        services.AddSingleton<DeviceIds>();
        services.AddScoped<HoldGuard>();
        services.AddScoped<GuestCheckoutGuard>();

        services.AddScoped<ResellerStorage>();
        services.AddSingleton<ResellerHealth>();
        // the inventory core, as the worker registers it; each request's ResellerScope is opened by ResellerStorage
        services.AddInventory();
        services.AddTicketSigning();
        // concurrent claims of one reseller database share round trips and transactions (ClaimBatching)
        services.AddOptions<ClaimBatchingOptions>().BindConfiguration(ClaimBatchingOptions.SectionName)
            .Validate(o => o.IsValid(), "ClaimBatching: MaxBatch 1..1000, LoopsPerEvent 1..16").ValidateOnStart();
        // hold-without-confirm blocks, the core's rule (HoldService), from the Abuse section as the guard's own settings
        services.AddOptions<AccountBlockOptions>().BindConfiguration(AccountBlockOptions.SectionName)
            .Validate(o => o.IsValid(), "Abuse: UnconfirmedWindow > 0, MaxUnconfirmedHolds >= 1, BlockFor > 0").ValidateOnStart();
        services.AddWaitingRooms();
        // fees from Fees, per reseller Resellers:<id>:Fees; the tax rate is the cell rules' (RuleFeePlans, AddCellRules)
        services.AddOptions<FeePlan>().BindConfiguration("Fees")
            .Validate(o => o.IsValid(), "Fees: amounts non-negative, bps at most 10000, tax 0..100 %").ValidateOnStart();
        services.ConfigurePerTenant<FeePlan, ResellerTenantInfo>((options, reseller) =>
            builder.Configuration.GetSection($"Resellers:{reseller.Id}:Fees").Bind(options));
        // live seat updates: one Redis subscription and one outbox reader per watched event on this replica
        services.AddOptions<LiveUpdateOptions>().BindConfiguration(LiveUpdateOptions.SectionName)
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.HeartbeatInterval > TimeSpan.Zero && o.WatcherBuffer >= 1,
                "LiveUpdates: positive intervals, a buffer of at least one batch")
            .ValidateOnStart();
        services.AddSingleton<EventStreamHub>();
        services.AddSingleton<AuditWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditWriter>());
        return builder;
    }

    /// <summary>
    /// Every API request (<see cref="ApiPaths.IsApi"/>: <c>/v1/…</c> in any letter case): path and query free of control
    /// characters (<see cref="TextInputMiddleware"/>), a body within its limit (<see cref="BodyLimitMiddleware"/>); a
    /// sent token must be valid; the reseller is resolved (token, then host; unknown → 404, token and host of different
    /// resellers → 403) and its storage opened; then rate limits and the audit log.
    /// </summary>
    public static WebApplication UseResellerResolution(this WebApplication app)
    {
        app.UseWhen(
            context => ApiPaths.IsApi(context.Request.Path),
            branch =>
            {
                branch.UseMiddleware<TextInputMiddleware>();
                branch.UseMiddleware<BodyLimitMiddleware>();
                branch.UseMiddleware<InvalidTokenMiddleware>();
                branch.UseMultiTenant<ResellerTenantInfo>();
                branch.UseMiddleware<ResellerStorageMiddleware>();
                branch.UseApiRateLimiting();
                branch.UseMiddleware<AuditMiddleware>();
            });
        return app;
    }
}
