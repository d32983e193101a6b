using MudBlazor.Services;
using TicketAspire.Web.Infrastructure;

namespace TicketAspire.Web.Extensions;

public static class ApplicationServiceExtensions
{
    /// <summary>The storefront's services: resellers by host, the API client, sign-in, components.</summary>
    public static WebApplicationBuilder AddStorefront(this WebApplicationBuilder builder)
    {
        // static web assets (the framework's and MudBlazor's) from the build output in every environment: the AppHost
        // runs the storefront from its build output as Production
        builder.WebHost.UseStaticWebAssets();

        builder.Services.AddOptions<StorefrontOptions>().BindConfiguration(StorefrontOptions.Section);
        builder.Services.AddSingleton<ResellerResolver>();
        builder.Services.AddScoped<BuyerSession>();
        builder.Services.AddSingleton(TimeProvider.System);
        // the cell's API through service discovery (http://<cell>-api); no retries on writes: holds and payments are
        // the buyer's decisions, retried by the buyer with the same idempotency key
        builder.Services.AddHttpClient<TicketApi>(http =>
        {
            http.BaseAddress = new Uri(builder.Configuration["Api:BaseUrl"] ?? "http://localhost:5101");
            http.Timeout = Timeout.InfiniteTimeSpan;
        }).AddServiceDiscovery();

        // resellers onboarded at run time: the cell API's directory, read with the router's key
        builder.Services.AddHttpClient(StorefrontDirectory.ClientName, http =>
            http.BaseAddress = new Uri(builder.Configuration["Api:BaseUrl"] ?? "http://localhost:5101")).AddServiceDiscovery();
        builder.Services.AddHostedService<StorefrontDirectory>();

        builder.AddStorefrontAuthentication();
        builder.Services.AddMudServices();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        return builder;
    }
}
