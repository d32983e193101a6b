using TicketAspire.Api.Apis;
using TicketAspire.Api.Extensions;
using TicketAspire.Api.Infrastructure.Idempotency;
using TicketAspire.Api.Infrastructure.Input;
using TicketAspire.Api.Infrastructure.Shedding;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddClientAddresses();
builder.AddApplicationServices();
builder.AddWebhooks();
builder.AddApiSecurity();
builder.AddApiDocumentation();

var app = builder.Build();

app.UseClientAddresses();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseLoadShedding();
app.UseRouting();
app.UseAuthentication();
app.UseResellerResolution();
app.UseAuthorization();
app.UseIdempotency();

app.MapDefaultEndpoints();
app.MapApiDocumentation();
app.MapSheddingTestControl();
app.MapDirectoryApi();

var v1 = app.MapApiVersion(1).WithDefaultBodyLimit(app.Services);
v1.MapEventsApi();
v1.MapEventStreamApi();
v1.MapHoldsApi();
v1.MapVouchersApi();
v1.MapGroupQuotesApi();
v1.MapPassesApi();
v1.MapOrdersApi();
v1.MapTicketsApi();
v1.MapResaleApi();
v1.MapTransfersApi();
v1.MapCheckInApi();
v1.MapLotteryApi();
v1.MapPresaleApi();
v1.MapMyDataApi();
v1.MapAuditApi();
v1.MapReportsApi();
v1.MapAdminApi().MapOnboardingApi().MapResellerApplicationsAdminApi();
v1.MapResellerApplicationsApi();
v1.MapPspWebhooksApi();
v1.MapWebhooksApi();
v1.MapMailboxApi();
v1.MapWaitingRoomApi();
v1.MapWaitlistApi();
v1.MapDevicesApi();
v1.MapRulesApi();
v1.MapSupportTicketsApi();
v1.MapSupportActionsApi();
v1.MapStorefrontThemeApi();

app.Run();

/// <summary>Entry point (public for integration tests).</summary>
public partial class Program;
