using TicketAspire.Inventory.Payments;
using TicketAspire.Tenancy;
using TicketAspire.Webhooks.Mail;
using TicketAspire.Webhooks.Services;
using TicketAspire.Worker;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddMultiTenant<ResellerTenantInfo>().WithCatalogStore();
builder.Services.AddResellerStorage(builder.Configuration);
builder.Services.AddOptions<SweepOptions>().BindConfiguration(nameof(SweepOptions))
    .Validate(o => o.Interval > TimeSpan.Zero && o.BatchSize > 0, "SweepOptions: Interval and BatchSize must be positive")
    .ValidateOnStart();
builder.Services.AddSingleton<ResellerLoopContext>();
builder.Services.AddSingleton<HoldSweepWorker>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<HoldSweepWorker>());
builder.Services.AddOptions<WaitingRoomOptions>().BindConfiguration("WaitingRoom")
    .Configure(o => o.OfferSeconds = builder.Configuration.GetValue("Waitlist:OfferSeconds", o.OfferSeconds))
    .Validate(o => o.SigningKey is { Length: >= 32 } && o.Interval > TimeSpan.Zero && o.OfferSeconds >= 30,
        "WaitingRoom: SigningKey of at least 32 characters, a positive Interval; Waitlist:OfferSeconds at least 30")
    .ValidateOnStart();
builder.Services.AddSingleton(sp => new TicketAspire.Inventory.Queue.AdmissionTokens(
    sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<WaitingRoomOptions>>().Value.SigningKey!));
builder.Services.AddSingleton<TicketAspire.Inventory.Queue.WaitingRoomCache>();
builder.Services.AddHostedService<WaitingRoomWorker>();
builder.AddPayouts();
builder.Services.AddPaymentGateway();
builder.Services.AddOptions<RefundWorkerOptions>().BindConfiguration("RefundWorker")
    .Validate(o => o.Interval > TimeSpan.Zero && o.BatchSize > 0, "RefundWorker: Interval and BatchSize must be positive")
    .ValidateOnStart();
builder.Services.AddHostedService<RefundWorker>();
builder.Services.AddOptions<CellOptions>().BindConfiguration(CellOptions.SectionName);
builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName)
    .Validate(o => o.PollInterval > TimeSpan.Zero && o.BatchSize > 0 && o.LeaseTimeout > o.RequestTimeout && o.RetrySchedule.All(t => t > TimeSpan.Zero)
            && o.MaxConcurrentDeliveriesPerReseller > 0 && o.MaxConcurrentDeliveriesPerEndpoint > 0,
        "Webhooks: PollInterval, BatchSize, MaxConcurrentDeliveriesPerReseller, MaxConcurrentDeliveriesPerEndpoint and every RetrySchedule step must be positive, LeaseTimeout longer than RequestTimeout")
    .ValidateOnStart();
builder.Services.AddSingleton<WebhookMetrics>();
// the local e-mail sender writes to each reseller's mailbox table; an SMTP or provider adapter replaces this registration
builder.Services.AddSingleton<IEmailSender>(sp => new MailboxEmailSender(
    async (reseller, ct) => await sp.GetRequiredService<TicketAspire.Tenancy.Data.ResellerDataSources>().GetAsync(
        await sp.GetRequiredService<TicketAspire.Tenancy.Stores.IMultiTenantStore<ResellerTenantInfo>>().GetAsync(reseller)
            ?? throw new InvalidOperationException($"unknown reseller '{reseller}'")),
    sp.GetRequiredService<TimeProvider>()));
builder.Services.AddSingleton<WebhookWorker>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookWorker>());
builder.Services.AddHealthChecks().AddCheck<HoldSweepHealthCheck>("hold-sweep").AddCheck<WebhookHealthCheck>("webhooks");

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
