using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// The reseller console (<c>/console</c> on the reseller's host, through the cell router) in Debian's chromium: acme's
/// administrator signs in, builds a reserved event with the seat-map builder, a buyer buys a seat through the API, and
/// the administrator sees that sale in the sales chart and table, the event's 409 after the sale, webhooks, a support
/// ticket, the settings and the API client; then cancels the event. Screenshots go to docs/screenshots/console-*.png;
/// axe-core checks each page for serious accessibility violations.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ResellerConsoleTests(PlatformFixture platform, ITestOutputHelper output) : IAsyncLifetime
{
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

    [Fact]
    public async Task AdministratorBuildsASeatMapAndSeesTheSaleInTheSalesChart()
    {
        var store = Storefront("acme", "eu");
        await WaitRoutedAsync("acme", "eu");
        await using var context = await _browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();

        // signed out: the console offers only its sign-in
        await OpenAsync(page, $"{store}/console");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await SignInAsync(page, store);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Events", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Console" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "events");
        await StorefrontBrowser.ScreenshotAsync(page, "console-events");

        // a reserved event built with the seat-map builder: Stalls 3 rows × 8 at 55.00, Balcony 2 lettered rows × 6 at 30.00
        var name = "Console Night " + Guid.NewGuid().ToString("N")[..6];
        await page.GetByRole(AriaRole.Link, new() { Name = "Create an event" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New event", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Name (required)", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Performer").FillAsync("The Console Band");
        await page.GetByLabel("Venue name").FillAsync("Console Hall");
        await page.GetByLabel("City").FillAsync("Lyon");
        await page.GetByLabel("Country").FillAsync("FR");
        await page.GetByLabel("Reserved seating (seat-map builder)").CheckAsync();
        await Expect(page.GetByTestId("seat-map-builder")).ToBeVisibleAsync();
        await Section(page, 1, "Stalls", "Stalls", "55.00", 3, 8);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a section" }).ClickAsync();
        await Section(page, 2, "Balcony", "Balcony", "30.00", 2, 6);
        await page.GetByLabel("Section 2: rows lettered A, B, C… (else numbered 1, 2, 3…)").CheckAsync();
        await Expect(page.GetByTestId("seat-plan-summary")).ToContainTextAsync("36 seats in 2 sections");
        await AssertAccessibleAsync(page, "new event");
        await StorefrontBrowser.ScreenshotAsync(page, "console-event-new");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create event" }).ClickAsync();
        var created = new Regex("/console/events/[0-9a-f-]{36}\\?created=true$");
        await Expect(page.Locator("[data-testid='form-errors'], [data-testid='console-notice']").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        if (!created.IsMatch(page.Url))
        {
            Assert.Fail("the event was not created: " + await page.GetByTestId("form-errors").InnerTextAsync());
        }

        var eventId = Guid.Parse(Regex.Match(page.Url, "/console/events/([0-9a-f-]{36})").Groups[1].Value);
        await Expect(page.GetByTestId("console-notice")).ToContainTextAsync("Event created");
        await Expect(page.GetByTestId("event-classes")).ToContainTextAsync("Stalls");
        await Expect(page.GetByTestId("event-classes").Locator("tr", new() { HasText = "Stalls" })).ToContainTextAsync("24");
        await Expect(page.GetByTestId("event-classes").Locator("tr", new() { HasText = "Balcony" })).ToContainTextAsync("12");

        // the seat plan the API made of it
        using var api = await platform.IntegratorClientAsync("eu", "acme");
        var map = await api.GetJsonAsync($"/v1/events/{eventId}/seats");
        var seats = map["seats"]!.AsArray();
        Assert.Equal(36, seats.Count);
        Assert.Contains(seats, s => (string)s!["section"]! == "Balcony" && (string)s["row"]! == "B" && (string)s["number"]! == "6");
        Assert.Contains(seats, s => (string)s!["section"]! == "Stalls" && (string)s["row"]! == "3" && (string)s["number"]! == "8" && (string)s["class_name"]! == "Stalls");

        // a change before any sale: the performer
        await page.GetByLabel("Performer").FillAsync("The Console Orchestra");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByTestId("console-notice")).ToContainTextAsync("Saved: performer");

        // a buyer buys Stalls row 1 seat 1 (through the API, paid at the PSP)
        var seat = seats.First(s => (string)s!["section"]! == "Stalls" && (string)s["row"]! == "1" && (string)s["number"]! == "1")!;
        var hold = await api.PostJsonAsync("/v1/holds", new
        {
            event_id = eventId,
            customer_ref = "console-buyer-" + Guid.NewGuid().ToString("N")[..8],
            customer_email = "console-buyer@example.com",
            seat_ids = new[] { (string)seat["id"]! },
        }, HttpStatusCode.Created);
        var order = await api.PayAndConfirmAsync(hold.Id());
        output.WriteLine($"order {order.Id()} for seat Stalls 1-1 of {eventId}");

        // after the sale the venue no longer changes: 409 event_has_sales, explained
        await page.ReloadAsync();
        await WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("event-classes").Locator("tr", new() { HasText = "Stalls" })).ToContainTextAsync("1");
        await page.GetByLabel("Venue name").FillAsync("Another Hall");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByTestId("form-errors")).ToContainTextAsync("The changes were not saved");
        await Expect(page.GetByTestId("form-errors")).ToContainTextAsync("only the description and the start time may change now. Your change to the venue was not saved");
        await Expect(page.GetByTestId("form-errors")).ToBeFocusedAsync();
        await AssertAccessibleAsync(page, "event with sales");
        await StorefrontBrowser.ScreenshotAsync(page, "console-event-has-sales");

        // the sale in the sales page: the class chart and its table, the statement, and the CSV download
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Console" }).GetByRole(AriaRole.Link, new() { Name = "Sales" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sales", Level = 1 })).ToBeVisibleAsync();
        var label = $"{name} / Stalls";
        var classChart = page.GetByTestId("chart-class");
        await Expect(classChart.GetByRole(AriaRole.Img)).ToHaveAttributeAsync("aria-label", new Regex("bar chart"));
        await Expect(classChart.Locator("tr", new() { HasText = label })).ToContainTextAsync("€55.00");
        await Expect(page.GetByTestId("sales-by-class").Locator("tr", new() { HasText = label })).ToContainTextAsync("€55.00");
        var row = page.GetByTestId("sales-by-class").Locator("tr", new() { HasText = label });
        Assert.Equal("1", (await row.Locator("td").First.InnerTextAsync()).Trim());
        await Expect(page.GetByTestId("chart-day").GetByRole(AriaRole.Img)).ToBeVisibleAsync();
        await Expect(page.GetByTestId("statement")).ToContainTextAsync("Gross sales");
        await AssertAccessibleAsync(page, "sales");
        await StorefrontBrowser.ScreenshotAsync(page, "console-sales");

        // the download, fetched by the page itself (its session cookie, the browser's host mapping)
        var download = await page.EvaluateAsync<string[]>(
            "async url => { const r = await fetch(url); return [String(r.status), r.headers.get('content-type') ?? '', await r.text()]; }",
            "/console/exports/sales.csv?group_by=class");
        Assert.Equal("200", download[0]);
        Assert.StartsWith("text/csv", download[1], StringComparison.Ordinal);
        var text = download[2];
        Assert.StartsWith("key,label,tickets_sold,gross_sales", text, StringComparison.Ordinal);
        Assert.Contains(label, text, StringComparison.Ordinal);
        using (var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = platform.App.GetEndpoint("router", "http") })
        {
            // without the console's session the export is a redirect to its sign-in, never the data
            anonymous.DefaultRequestHeaders.Host = "acme.eu.localhost";
            using var refused = await anonymous.GetAsync(new Uri("/console/exports/sales.csv", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.StartsWith("/console/login", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        // webhooks: add an endpoint (its secret shown once), its deliveries, a rotation, deletion
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Console" }).GetByRole(AriaRole.Link, new() { Name = "Webhooks" }).ClickAsync();
        var hookUrl = $"http://127.0.0.1:9/hooks/console-{Guid.NewGuid():N}";
        await page.GetByLabel("URL").FillAsync(hookUrl);
        await page.GetByLabel("Description").FillAsync("Console test");
        await page.GetByLabel("order.confirmed").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add endpoint" }).ClickAsync();
        // the console waits up to 60 s for the API: on a machine running two platforms at once, seconds are common
        await Expect(page.GetByTestId("webhook-secret")).ToContainTextAsync("whsec_", new() { Timeout = 60_000 });
        var first = await page.GetByTestId("webhook-secret").Locator("code").InnerTextAsync();
        await Expect(page.GetByTestId("webhook-endpoints")).ToContainTextAsync(hookUrl);
        var endpoint = page.GetByTestId("webhook-endpoints").Locator("li", new() { HasText = hookUrl });
        await endpoint.GetByRole(AriaRole.Button, new() { NameRegex = new("^Deliveries") }).ClickAsync();
        await Expect(endpoint.GetByText("No deliveries yet.")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "webhooks");
        await StorefrontBrowser.ScreenshotAsync(page, "console-webhooks");
        await endpoint.GetByRole(AriaRole.Button, new() { NameRegex = new("^Rotate secret") }).ClickAsync();
        await Expect(page.GetByTestId("webhook-secret")).ToContainTextAsync("New signing secret");
        Assert.NotEqual(first, await page.GetByTestId("webhook-secret").Locator("code").InnerTextAsync());
        await endpoint.GetByRole(AriaRole.Button, new() { NameRegex = new("^Delete…") }).ClickAsync();
        await endpoint.GetByRole(AriaRole.Button, new() { Name = "Yes, delete" }).ClickAsync();
        await Expect(page.GetByTestId("console-notice")).ToContainTextAsync("deleted");
        var endpoints = await api.GetJsonAsync("/v1/webhooks/endpoints");
        Assert.DoesNotContain(endpoints["endpoints"]!.AsArray(), e => (string)e!["url"]! == hookUrl);

        // support: open a ticket, reply, close it
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Console" }).GetByRole(AriaRole.Link, new() { Name = "Support" }).ClickAsync();
        var subject = "Console question " + Guid.NewGuid().ToString("N")[..6];
        await page.GetByLabel("Subject").FillAsync(subject);
        await page.GetByLabel("Category").SelectOptionAsync("billing");
        await page.GetByLabel("Message").FillAsync("When is the payout of " + name + "?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open ticket" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new(Regex.Escape(subject)), Level = 1 })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("ticket-status")).ToHaveTextAsync("Open");
        await page.GetByLabel("Your reply").FillAsync("And a second question.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Expect(page.GetByTestId("ticket-thread").Locator("li")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("ticket-status")).ToHaveTextAsync("Waiting on support");
        await AssertAccessibleAsync(page, "support ticket");
        await StorefrontBrowser.ScreenshotAsync(page, "console-support-ticket");
        await page.GetByRole(AriaRole.Button, new() { Name = "Close ticket…" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, close it" }).ClickAsync();
        await Expect(page.GetByTestId("ticket-status")).ToHaveTextAsync("Closed");
        await page.GetByRole(AriaRole.Link, new() { Name = "← All tickets" }).ClickAsync();
        await Expect(page.GetByTestId("support-tickets")).ToContainTextAsync(subject);
        await StorefrontBrowser.ScreenshotAsync(page, "console-support");

        // settings: the storefront's theme (acme's cell file) and rules; the API client
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Console" }).GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        await Expect(page.GetByTestId("theme")).ToContainTextAsync("#1d4ed8");
        await Expect(page.GetByTestId("rules")).ToContainTextAsync("EUR");
        await AssertAccessibleAsync(page, "settings");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Console" }).GetByRole(AriaRole.Link, new() { Name = "API clients" }).ClickAsync();
        await Expect(page.GetByTestId("api-client")).ToContainTextAsync("acme-backend");
        await AssertAccessibleAsync(page, "api clients");
        await StorefrontBrowser.ScreenshotAsync(page, "console-api-clients");

        // cancel the event, confirmed: the paid order is refunded
        await page.GotoAsync($"{store}/console/events/{eventId}");
        await WaitInteractiveAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel event…" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Cancel this event" })).ToBeFocusedAsync();
        await page.GetByLabel("Reason (sent with each refund)").FillAsync("The hall is flooded");
        await StorefrontBrowser.ScreenshotAsync(page, "console-event-cancel");
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel the event" }).ClickAsync();
        await Expect(page.GetByTestId("event-status")).ToHaveTextAsync("Cancelled");
        await Expect(page.GetByTestId("console-notice")).ToContainTextAsync("1 refund was requested");
        var cancelled = await api.GetJsonAsync($"/v1/events/{eventId}");
        Assert.Equal("cancelled", (string)cancelled["status"]!);

        // sign out: the console offers its sign-in again
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await OpenAsync(page, $"{store}/console");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AdministratorThemesTheStorefrontWithAColourAFooterAndALogo()
    {
        var store = Storefront("acme", "eu");
        await WaitRoutedAsync("acme", "eu");
        await using var context = await _browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        try
        {
            await OpenAsync(page, $"{store}/console");
            await SignInAsync(page, store);
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Console" }).GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
            await Expect(page.GetByTestId("theme")).ToContainTextAsync("#1d4ed8");
            var primary = page.GetByRole(AriaRole.Textbox, new() { Name = "Primary colour", Exact = true });

            // too light for white text: refused at the field with the ratio
            await primary.FillAsync("#ffff00");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save theme" }).ClickAsync();
            await Expect(page.Locator("#theme-primary-error")).ToContainTextAsync("1.07:1");
            await Expect(primary).ToHaveAttributeAsync("aria-invalid", "true");

            // a darker primary and a footer, then a PNG logo
            await primary.FillAsync("#0f766e");
            await Expect(page.GetByTestId("theme-preview").Locator(".theme-preview-bar")).ToHaveCSSAsync("background-color", "rgb(15, 118, 110)");
            await page.GetByRole(AriaRole.Textbox, new() { Name = "Footer text", Exact = true }).FillAsync("Acme Tickets Ltd · 1 Rue de la Paix, Paris");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save theme" }).ClickAsync();
            await Expect(page.Locator("p.notice")).ToContainTextAsync("Theme saved.");
            await Expect(page.GetByTestId("theme")).ToContainTextAsync("#0f766e");
            await page.Locator("#theme-logo").SetInputFilesAsync(new FilePayload
            {
                Name = "acme-logo.png", MimeType = "image/png", Buffer = TestPng.Create(160, 40, (0xf5, 0x9e, 0x0b)),
            });
            await Expect(page.Locator("p.notice")).ToContainTextAsync("Logo uploaded (acme-logo.png).");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Remove logo" })).ToBeVisibleAsync();
            await AssertAccessibleAsync(page, "settings");
            await StorefrontBrowser.ScreenshotAsync(page, "console-settings");

            // the storefront's home page shows them (its theme is cached for a few seconds at most)
            await Eventually.GetAsync(async () =>
            {
                await OpenAsync(page, store + "/");
                return await page.GetByTestId("storefront-footer").CountAsync() > 0 ? "themed" : null;
            }, "the new theme on the storefront", TimeSpan.FromSeconds(20));
            await Expect(page.GetByTestId("storefront-footer")).ToHaveTextAsync("Acme Tickets Ltd · 1 Rue de la Paix, Paris");
            var logo = page.GetByRole(AriaRole.Img, new() { Name = "Acme Tickets" });
            await Expect(logo).ToBeVisibleAsync();
            Assert.True(await logo.EvaluateAsync<int>("img => img.naturalWidth") == 160, "the logo is loaded through the router");
            await Expect(page.Locator(".mud-appbar")).ToHaveCSSAsync("background-color", "rgb(15, 118, 110)");
            await AssertAccessibleAsync(page, "themed storefront");
            await StorefrontBrowser.ScreenshotAsync(page, "storefront-themed");
        }
        finally
        {
            // acme's default theme again, for the other tests
            using var api = await platform.IntegratorClientAsync("eu", "acme");
            using var reset = await api.PutAsJsonAsync("/v1/storefront/theme", new { });
            using var removed = await api.DeleteAsync("/v1/storefront/theme/logo");
        }
    }

    private static async Task Section(IPage page, int n, string name, string className, string price, int rows, int seatsPerRow)
    {
        await page.GetByLabel($"Section {n} name").FillAsync(name);
        await page.GetByLabel($"Section {n} class").FillAsync(className);
        await page.GetByLabel($"Section {n} price").FillAsync(price);
        await page.GetByLabel($"Section {n} rows", new() { Exact = true }).FillAsync(rows.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel($"Section {n} seats per row").FillAsync(seatsPerRow.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task SignInAsync(IPage page, string store)
    {
        // acme's seeded administrator at acme's issuer (code + PKCE), back on the console
        await ConsoleSignIn.ResellerAdminAsync(page, platform, "acme");
        await Expect(page).ToHaveURLAsync($"{store}/console", new() { Timeout = 30_000 });
        await WaitInteractiveAsync(page);
    }

    private string Storefront(string reseller, string cell) => $"http://{reseller}.{cell}.localhost:{platform.App.GetEndpoint("router", "http").Port}";

    private async Task WaitRoutedAsync(string reseller, string cell)
    {
        using var http = new HttpClient { BaseAddress = platform.App.GetEndpoint("router", "http") };
        http.DefaultRequestHeaders.Host = $"{reseller}.{cell}.localhost";
        await Eventually.GetAsync<string>(async () =>
        {
            using var response = await http.GetAsync("/");
            return response.StatusCode == HttpStatusCode.OK ? "routed" : null;
        }, $"{reseller}'s storefront behind the router", TimeSpan.FromSeconds(30));
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

    private static IPageAssertions Expect(IPage page) => Assertions.Expect(page);
}
