using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TicketAspire.Migrator;

// Creates and migrates the cell's catalog database and every reseller database, then exits.
// The AppHost starts the cell's API and worker only after this completed successfully.
var builder = Host.CreateApplicationBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddOptions<TicketAspire.Tenancy.CellOptions>().BindConfiguration(TicketAspire.Tenancy.CellOptions.SectionName);
builder.Services.AddSingleton<CellMigrator>();

using var host = builder.Build();
await host.StartAsync();
var ok = await host.Services.GetRequiredService<CellMigrator>().RunAsync(CancellationToken.None);
await host.StopAsync();
return ok ? 0 : 1;
