using TicketAspire.Identity.Apis;
using TicketAspire.Identity.Extensions;

// The cell's OpenID Connect provider: one issuer per reseller (/acme, /globex), OpenIddict's tables in each
// reseller's own database, one signing key per cell.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseResellerIssuers();

app.MapDefaultEndpoints();
app.MapTokenApi();

app.Run();
