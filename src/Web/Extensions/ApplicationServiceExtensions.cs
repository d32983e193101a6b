using Microsoft.AspNetCore.DataProtection;
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

        // the session cookies' and antiforgery keys: in a directory shared by the replicas (and kept across restarts, so
        // buyers stay signed in) when DataProtection:Directory is set, else in memory
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("ticketaspire-web");
        if (builder.Configuration["DataProtection:Directory"] is { Length: > 0 } keys)
        {
            if (!OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keys))!);
                Directory.CreateDirectory(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keys));
        }

        builder.Services.AddOptions<StorefrontOptions>().BindConfiguration(StorefrontOptions.Section);
        builder.Services.AddOptions<PlatformOptions>().BindConfiguration(PlatformOptions.Section);
        builder.Services.AddSingleton<ResellerResolver>();
        builder.Services.AddScoped<BuyerSession>();
        builder.Services.AddScoped<ConsoleSession>();
        builder.Services.AddMemoryCache();
        builder.Services.AddScoped<StorefrontThemeProvider>();
        builder.Services.AddSingleton(TimeProvider.System);
        // the cell's API through service discovery (http://<cell>-api); no retries on writes: holds and payments are
        // the buyer's decisions, retried by the buyer with the same idempotency key
        builder.Services.AddHttpClient<TicketApi>(http =>
        {
            http.BaseAddress = new Uri(builder.Configuration["Api:BaseUrl"] ?? "http://localhost:5101");
            http.Timeout = Timeout.InfiniteTimeSpan;
        }).AddServiceDiscovery();

        // the reseller console's calls, with the signed-in administrator's token
        builder.Services.AddHttpClient<ConsoleApi>(http =>
        {
            http.BaseAddress = new Uri(builder.Configuration["Api:BaseUrl"] ?? "http://localhost:5101");
            http.Timeout = TimeSpan.FromSeconds(60);
        }).AddServiceDiscovery();

        // the reseller console's calls to the reseller's issuer (its clients), with the administrator's token
        builder.Services.AddHttpClient<ConsoleClientsApi>(http =>
        {
            http.BaseAddress = new Uri((builder.Configuration["Identity:PublicOrigin"] ?? "http://localhost:5102").TrimEnd('/') + "/");
            http.Timeout = TimeSpan.FromSeconds(30);
        });

        // the support and operator console's calls, with the staff member's token (no retries on writes: refunds and
        // replays are staff decisions)
        builder.Services.AddHttpClient<OpsApi>(http =>
        {
            http.BaseAddress = new Uri(builder.Configuration["Api:BaseUrl"] ?? "http://localhost:5101");
            http.Timeout = TimeSpan.FromSeconds(30);
        }).AddServiceDiscovery();

        // the self-registration form's calls (anonymous, server-side)
        builder.Services.AddHttpClient<ApplicationsApi>(http =>
        {
            http.BaseAddress = new Uri(builder.Configuration["Api:BaseUrl"] ?? "http://localhost:5101");
            http.Timeout = TimeSpan.FromSeconds(30);
        }).AddServiceDiscovery();

        // guest checkout: the guest grant at the reseller's issuer (the same origin the buyers' sign-in uses)
        builder.Services.AddHttpClient<GuestSignIn>(http =>
        {
            http.BaseAddress = new Uri((builder.Configuration["Identity:PublicOrigin"] ?? "http://localhost:5102").TrimEnd('/') + "/");
            http.Timeout = TimeSpan.FromSeconds(15);
        });

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
