using TicketAspire.Inventory.Payments;
using TicketAspire.Tenancy;
using TicketAspire.Worker;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddMultiTenant<ResellerTenantInfo>().WithCatalogStore();
builder.Services.AddResellerStorage(builder.Configuration);
builder.Services.AddOptions<SweepOptions>().BindConfiguration(nameof(SweepOptions))
    .Validate(o => o.Interval > TimeSpan.Zero && o.BatchSize > 0, "SweepOptions: Interval and BatchSize must be positive")
    .ValidateOnStart();
builder.Services.AddSingleton<HoldSweepWorker>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<HoldSweepWorker>());
builder.AddPayouts();
builder.Services.AddPaymentGateway();
builder.Services.AddOptions<RefundWorkerOptions>().BindConfiguration("RefundWorker")
    .Validate(o => o.Interval > TimeSpan.Zero && o.BatchSize > 0, "RefundWorker: Interval and BatchSize must be positive")
    .ValidateOnStart();
builder.Services.AddHostedService<RefundWorker>();
builder.Services.AddHealthChecks().AddCheck<HoldSweepHealthCheck>("hold-sweep");

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
