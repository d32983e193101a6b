using System.Text.Json.Nodes;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// The support and operator console in a real browser (Debian's chromium) on the cell's own host through the router: a
/// buyer buys a seat of a show too close for the buyer's own refund, acme opens a support ticket about the order, staff
/// sign in, see the resellers' health, open the ticket from the support queue, follow the order it names and force the
/// refund; the buyer sees the order refunded, and the audit search shows staff's refund. Screenshots of each page go to
/// docs/screenshots/ops-*.png; axe-core checks each page for serious accessibility violations.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OpsConsoleTests(PlatformFixture platform, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Password = "ops-console-buyer-123";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await StorefrontBrowser.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    private string Console => ConsoleSignIn.PlatformOrigin(platform);

    [Fact]
    public async Task Staff_force_refund_an_order_from_a_support_ticket_and_the_buyer_and_the_audit_see_it()
    {
        // a buyer (an end user of acme) buys a seat of a show that starts in 6 hours: past the 24-hour refund cutoff
        using var buyerBrowser = new Browser(platform, "eu");
        var buyerEmail = $"ops-buyer-{Guid.NewGuid():N}@example.com";
        var buyerToken = (string)(await buyerBrowser.SignInAsync("acme", buyerEmail, Password, register: true))["access_token"]!;
        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        // an endpoint nobody listens on (the discard port): the sale's deliveries to it give up after the test cell's short retries
        var hook = $"http://127.0.0.1:9/hooks/ops-{Guid.NewGuid():N}";
        await acme.PostJsonAsync("/v1/webhooks/endpoints", new { url = hook, description = "ops console test", event_types = new[] { "order.confirmed" } }, HttpStatusCode.Created);
        var show = await acme.PostJsonAsync("/v1/events",
            Api.ReservedEvent($"Ops night {Guid.NewGuid():N}"[..20], 1, 4, startsAt: DateTimeOffset.UtcNow.AddHours(6).ToString("O")), HttpStatusCode.Created);
        var seats = (await acme.GetJsonAsync($"/v1/events/{show.Id()}/seats"))["seats"]!.AsArray().Select(s => s.Id()).ToList();
        using var buyer = platform.ResellerClient("eu", "acme.eu.localhost", buyerToken);
        var hold = await buyer.PostJsonAsync("/v1/holds", new { event_id = show.Id(), seat_ids = seats.Take(1) }, HttpStatusCode.Created);
        var order = await buyer.PayAndConfirmAsync(hold.Id());
        var orderId = order.Id();
        // the buyer's own refund is past the event's policy
        Assert.Equal("refund_not_allowed", (string)(await buyer.PostJsonAsync($"/v1/me/orders/{orderId}/refund", new { reason = "cannot come" }, HttpStatusCode.Conflict))["code"]!);

        // acme asks support for the refund, naming the order
        var subject = $"Refund for order {orderId.ToString()[..8]} {Guid.NewGuid():N}"[..40];
        var ticket = await acme.PostJsonAsync("/v1/support/tickets",
            new { subject, body = $"Our buyer is in hospital and cannot come. Please refund order {orderId}.", category = "orders", priority = "high" }, HttpStatusCode.Created);

        await using var context = await _browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1360, Height = 900 } });
        var page = await context.NewPageAsync();
        await WaitRoutedAsync();

        // signed out: a sign-in link, no data
        await page.GotoAsync($"{Console}/ops");
        await Expect(page.GetByTestId("ops-sign-in")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await SignInAsStaffAsync(page);

        // resellers and their health
        await OpenAsync(page, $"{Console}/ops");
        await Expect(page.Locator("[data-testid=health-row][data-reseller=acme]")).ToContainTextAsync("ok");
        await AssertAccessibleAsync(page, "resellers");
        await StorefrontBrowser.ScreenshotAsync(page, "ops-resellers");

        // the support queue: acme's ticket, then its thread, then the order it names
        await OpenAsync(page, $"{Console}/ops/support");
        var link = page.GetByRole(AriaRole.Link, new() { NameString = subject });
        await Expect(link).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "support");
        await StorefrontBrowser.ScreenshotAsync(page, "ops-support");
        await link.ClickAsync();
        await WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("thread")).ToContainTextAsync("cannot come");
        await page.GetByTestId("reply-body").FillAsync("We are refunding the order now; the buyer will see it on their card in a few days.");
        await page.GetByTestId("reply-send").ClickAsync();
        await Expect(page.GetByTestId("ticket-message")).ToContainTextAsync("sent");
        await AssertAccessibleAsync(page, "ticket");
        await StorefrontBrowser.ScreenshotAsync(page, "ops-ticket");

        await page.GetByTestId("ticket-order-link").ClickAsync();
        await WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("order-status")).ToContainTextAsync("confirmed");
        await page.GetByTestId("force-refund").ClickAsync();
        await page.GetByTestId("refund-confirm").ClickAsync();
        await Expect(page.GetByTestId("action-message")).ToContainTextAsync("refund", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("order-refund")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("succeeded|requested"));
        await AssertAccessibleAsync(page, "order");
        await StorefrontBrowser.ScreenshotAsync(page, "ops-order");

        // the show is selling fast: support turns its waiting room on
        await page.GetByLabel("Buyers admitted a minute").FillAsync("120");
        await page.GetByTestId("high-traffic").ClickAsync();
        await Expect(page.GetByTestId("action-message")).ToContainTextAsync("waiting room is on");
        await Expect(page.GetByTestId("waiting-room-state")).ToContainTextAsync("120 buyers a minute");
        Assert.True((bool)(await acme.GetJsonAsync($"/v1/events/{show.Id()}/waiting-room"))["enabled"]!);

        // the buyer sees the refund among their orders
        var refunded = await Eventually.GetAsync(async () =>
        {
            var mine = (await buyer.GetJsonAsync("/v1/me/orders"))["orders"]!.AsArray().Single(o => o.Id() == orderId)!;
            return (string?)mine["refund"]?["status"] == "succeeded" ? mine : null;
        }, "the buyer's refunded order", TimeSpan.FromSeconds(60));
        Assert.StartsWith("support:", (string)refunded["refund"]!["initiated_by"]!, StringComparison.Ordinal);

        // the sale's webhook to the dead endpoint is a dead letter: replayed from the console
        var endpoint = page.GetByRole(AriaRole.Region, new() { Name = $"Endpoint {hook} of Acme Tickets" });
        await Eventually.GetAsync(async () =>
        {
            await OpenAsync(page, $"{Console}/ops/webhooks");
            return await endpoint.GetByRole(AriaRole.Button, new() { NameRegex = new("^Replay order.confirmed") }).CountAsync() > 0 ? "" : null;
        }, "the dead letter in the console", TimeSpan.FromSeconds(60));
        await AssertAccessibleAsync(page, "webhooks");
        await StorefrontBrowser.ScreenshotAsync(page, "ops-webhooks");
        await endpoint.GetByRole(AriaRole.Button, new() { NameRegex = new("^Replay order.confirmed") }).First.ClickAsync();
        await Expect(page.GetByTestId("webhook-message")).ToContainTextAsync("queued again");

        // the audit search shows staff's refund of the order
        await OpenAsync(page, $"{Console}/ops/audit?reseller=acme&resource={orderId}");
        await Expect(page.Locator("[data-testid=audit-row][data-action=RefundOrder]").First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=audit-row][data-action=RefundOrder]").First).ToContainTextAsync("staff");
        await AssertAccessibleAsync(page, "audit");
        await StorefrontBrowser.ScreenshotAsync(page, "ops-audit");

        // the ticket got support's answer through the console
        var thread = await acme.GetJsonAsync($"/v1/support/tickets/{ticket.Id()}");
        Assert.Equal("waiting_on_reseller", (string)thread["status"]!);
    }

    [Fact]
    public async Task Support_staff_work_the_queue_but_the_resellers_health_is_for_operators_and_signing_out_ends_the_session()
    {
        await WaitRoutedAsync();
        await using var context = await _browser!.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignInAsStaffAsync(page, "support");
        await OpenAsync(page, $"{Console}/ops");
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "operator role" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("health-table")).ToHaveCountAsync(0);
        await OpenAsync(page, $"{Console}/ops/support");
        await Expect(page.GetByTestId("open-order")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/ops$"), new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("ops-sign-in")).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }

    [Fact]
    public async Task A_resellers_host_has_no_console()
    {
        await WaitRoutedAsync();
        await using var context = await _browser!.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"http://acme.eu.localhost:{platform.App.GetEndpoint("router", "http").Port}/ops");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No console here" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }

    /// <summary>The seeded staff account of <paramref name="role"/> (an operator has both support and operator scopes).</summary>
    private Task SignInAsStaffAsync(IPage page, string role = "operator") => ConsoleSignIn.StaffAsync(page, platform, role: role);

    private async Task WaitRoutedAsync()
    {
        using var http = new HttpClient { BaseAddress = platform.App.GetEndpoint("router", "http") };
        http.DefaultRequestHeaders.Host = "eu.localhost";
        await Eventually.GetAsync<string>(async () =>
        {
            using var response = await http.GetAsync("/apply");
            return response.StatusCode == HttpStatusCode.OK ? "routed" : null;
        }, "the cell's own host behind the router", TimeSpan.FromSeconds(30));
    }

    private static async Task OpenAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await WaitInteractiveAsync(page);
    }

    private static Task WaitInteractiveAsync(IPage page) =>
        Expect(page.Locator("#app-state")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 30_000 });

    private async Task AssertAccessibleAsync(IPage page, string name)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        output.WriteLine($"axe {name}: {result.Violations.Length} violations, {serious.Count} serious or critical ({string.Join(", ", result.Violations.Select(v => $"{v.Id}:{v.Impact}"))})");
        Assert.True(serious.Count == 0, $"{name}: " + string.Join("; ", serious.Select(v => $"{v.Id} ({v.Impact}) {v.Help}: {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
