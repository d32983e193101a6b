using TicketAspire.Identity.Apis;
using TicketAspire.Identity.Extensions;

// The cell's OpenID Connect provider: one issuer per reseller (/acme, /globex) for its integrators and end users, a
// platform issuer (/platform) for staff; OpenIddict's tables and end-user accounts in each reseller's own database; one
// key ring per cell (docs/key-rollover.md).
if (KeysCommand.IsKeysCommand(args))
{
    return KeysCommand.Run(args, TimeProvider.System, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddClientAddresses();
builder.AddApplicationServices();

var app = builder.Build();

app.UseClientAddresses();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseResellerIssuers();

app.MapDefaultEndpoints();
app.MapTokenApi();
app.MapAuthorizationApi();
app.MapAccountApi();
app.MapClientsApi();

app.Run();
return 0;
