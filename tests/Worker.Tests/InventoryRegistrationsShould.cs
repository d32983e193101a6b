using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TicketAspire.Api.Extensions;
using TicketAspire.Inventory;
using TicketAspire.Inventory.Fees;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Payments;
using TicketAspire.Inventory.Sales;

namespace TicketAspire.Worker.Tests;

/// <summary>The API and the worker run one inventory core: the same registrations, every one resolvable in a reseller scope.</summary>
public sealed class InventoryRegistrationsShould
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Cell:Id"] = "eu",
        ["Cell:Currency"] = "EUR",
        ["Payments:BaseUrl"] = "http://127.0.0.1:9",
        ["Payments:ApiKey"] = "key",
        ["Payments:WebhookSecret"] = "secret",
        ["WaitingRoom:SigningKey"] = new string('k', 40),
        ["Tickets:SigningSeed"] = new string('s', 40),
    };

    [Fact]
    public void Be_the_same_in_the_api_and_the_worker()
    {
        var api = Registrations(Builder().AddApplicationServices());
        var worker = Registrations(Builder().AddWorkerServices());

        Assert.Contains((typeof(HoldService), ServiceLifetime.Scoped), api);
        Assert.Contains((typeof(SaleService), ServiceLifetime.Scoped), api);
        Assert.Contains((typeof(ClaimBatchers), ServiceLifetime.Singleton), api);
        Assert.Equal(Names(api), Names(worker));
    }

    [Fact]
    public async Task Resolve_every_core_service_in_an_open_reseller_scope_of_either_host()
    {
        foreach (var host in new[] { Builder().AddApplicationServices(), Builder().AddWorkerServices() })
        {
            await using var provider = host.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
            await using var scope = provider.CreateAsyncScope();
            await using var db = NpgsqlDataSource.Create("Host=127.0.0.1;Port=9;Database=acme");
            scope.ServiceProvider.GetRequiredService<ResellerScope>().Open("acme", db, null, new HoldOptions(), new FeePlan());

            foreach (var (type, _) in Registrations(host).Where(r => r.Lifetime == ServiceLifetime.Scoped))
            {
                Assert.NotNull(scope.ServiceProvider.GetRequiredService(type));
            }

            Assert.Same(scope.ServiceProvider.GetRequiredService<SaleService>(), scope.ServiceProvider.GetRequiredService<SaleService>());
            Assert.NotNull(scope.ServiceProvider.GetRequiredService<IPaymentGateway>());
        }
    }

    [Fact]
    public async Task Refuse_core_services_of_a_scope_no_reseller_was_opened_for()
    {
        var host = Builder().AddWorkerServices();
        await using var provider = host.Services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();

        var error = Assert.Throws<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<HoldService>());
        Assert.Contains("No reseller scope is open", error.Message, StringComparison.Ordinal);
    }

    private static WebApplicationBuilder Builder()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(Settings);
        return builder;
    }

    private static List<string> Names(IEnumerable<(Type ServiceType, ServiceLifetime Lifetime)> registrations) =>
        [.. registrations.Select(r => $"{r.ServiceType.FullName} {r.Lifetime}").Order(StringComparer.Ordinal)];

    private static HashSet<(Type ServiceType, ServiceLifetime Lifetime)> Registrations(Microsoft.Extensions.Hosting.IHostApplicationBuilder builder) =>
        builder.Services.Where(d => d.ServiceType.Assembly == typeof(HoldService).Assembly && !d.IsKeyedService)
            .Select(d => (d.ServiceType, d.Lifetime)).ToHashSet();
}
