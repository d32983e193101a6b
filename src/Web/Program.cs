using TicketAspire.Web.Components;
using TicketAspire.Web.Extensions;

// The hosted storefront of a cell: every reseller's site on its own hosts (behind the cell router), buyers signed in
// at their reseller's issuer, every call through the cell's public API with the buyer's token.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddStorefront();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapAccountEndpoints();
app.MapConsoleEndpoints();
app.MapConsoleExports();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

/// <summary>Entry point (public for integration tests).</summary>
public partial class Program;
