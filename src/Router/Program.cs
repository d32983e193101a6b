using TicketAspire.Router;

// The cell router: one edge in front of every cell. It maps each reseller host to its cell's API, identity and
// storefront (RouteTable); an unknown host gets 404; a cell that cannot be reached fails only its own resellers (503).
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddProblemDetails();

var options = new RouterOptions();
builder.Configuration.GetSection(RouterOptions.Section).Bind(options);
var (routes, clusters) = RouteTable.Build(options);
builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters);
// resellers onboarded or offboarded at run time: each cell's directory, read every Router:DirectoryInterval
builder.Services.AddSingleton(options);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddHttpClient(DirectoryRefresh.ClientName);
builder.Services.AddHostedService<DirectoryRefresh>();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapReverseProxy(proxy =>
{
    proxy.Use((context, next) => RouterProblems.CellUnavailableAsync(context, next, options.RetryAfterSeconds));
    proxy.UseSessionAffinity();
    proxy.UseLoadBalancing();
    proxy.UsePassiveHealthChecks();
});
app.MapFallback(context => RouterProblems.UnknownHost(context).ExecuteAsync(context));

app.Run();

/// <summary>Entry point (public for integration tests).</summary>
public partial class Program;
