using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// The hosted storefront in a real browser (Debian's chromium, driven by Playwright) at a reseller's host through the
/// cell router: a buyer registers, signs in, buys two seats (a declined card first) while a second browser watches them
/// turn grey, sees the tickets with their QR codes and refunds the order. Screenshots of each page go to
/// docs/screenshots/; axe-core checks the main pages for serious accessibility violations.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class StorefrontTests(PlatformFixture platform, ITestOutputHelper output) : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        // every page step is server work (the storefront, the identity service, the API): on a loaded shared machine a
        // step takes seconds, so assertions wait up to 20 s (they return as soon as the page is right)
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
    public async Task BuyerBuysTwoSeatsWhileAnotherBrowserSeesThemTurnGrey()
    {
        var store = Storefront("acme", "eu");
        await WaitRoutedAsync("acme", "eu");
        var eventId = await CreateEventAsync("eu", "acme", "Storefront Night");

        // a second browser watches the seat map, signed out
        await using var watcherContext = await _browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var watcher = await watcherContext.NewPageAsync();
        await OpenAsync(watcher, $"{store}/events/{eventId}");

        await using var buyerContext = await _browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var buyer = await buyerContext.NewPageAsync();
        await OpenAsync(buyer, $"{store}/");
        await Expect(buyer.GetByRole(AriaRole.Link, new() { Name = "Storefront Night" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(buyer, "home");
        await StorefrontBrowser.ScreenshotAsync(buyer, "storefront-home");

        await buyer.GetByRole(AriaRole.Link, new() { Name = "Storefront Night" }).ClickAsync();
        await WaitInteractiveAsync(buyer);
        await AssertAccessibleAsync(buyer, "event");

        // register and sign in at acme's issuer, then back at the event
        var email = $"buyer-{Guid.NewGuid():N}@example.com";
        await RegisterAndSignInAsync(buyer, "eu", "acme", email, "correct horse battery");
        await Expect(buyer).ToHaveURLAsync($"{store}/events/{eventId}");
        await WaitInteractiveAsync(buyer);
        await Expect(buyer.GetByText("Signed in as")).ToBeVisibleAsync();

        // two seats of row 1
        var seats = await SeatIdsAsync("eu", "acme", eventId);
        var chosen = seats.Take(2).ToList();
        foreach (var seat in chosen)
        {
            await buyer.Locator($"[data-seat-id='{seat}']").ClickAsync();
            await Expect(buyer.Locator($"[data-seat-id='{seat}']")).ToHaveAttributeAsync("aria-pressed", "true");
        }

        await StorefrontBrowser.ScreenshotAsync(buyer, "storefront-event-seat-map");
        var hold = buyer.GetByRole(AriaRole.Button, new() { NameRegex = new("^Hold 2 seats") });
        var clock = Stopwatch.StartNew();
        await hold.ClickAsync();

        // the watcher's map turns the two seats grey (held) by itself, over the API's live stream
        foreach (var seat in chosen)
        {
            await Expect(watcher.Locator($"[data-seat-id='{seat}']")).ToHaveAttributeAsync("data-status", "held", new() { Timeout = 10_000 });
        }

        var greyAfter = clock.Elapsed;
        output.WriteLine($"held seats grey in the second browser {greyAfter.TotalMilliseconds:F0} ms after the buyer clicked Hold");
        // well under a second on an idle machine; the bound leaves room for a loaded shared CI machine
        Assert.True(greyAfter < TimeSpan.FromSeconds(5), $"the second browser saw the seats held after {greyAfter}");
        await StorefrontBrowser.ScreenshotAsync(watcher, "storefront-event-live-grey");

        // checkout: the countdown and the price with its fees before paying
        await Expect(buyer).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/checkout/[0-9a-f-]+$"));
        await Expect(buyer.GetByTestId("countdown")).ToBeVisibleAsync();
        await Expect(buyer.GetByTestId("price-breakdown")).ToContainTextAsync("Total");
        await StorefrontBrowser.ScreenshotAsync(buyer, "storefront-checkout");

        // a declined card first: back at the storefront with the reason, then another card
        await PayAsync(buyer, "4000 0000 0000 0002", screenshot: "psp-card-page");
        await Expect(buyer.GetByTestId("checkout-message")).ToContainTextAsync("declined", new() { Timeout = 20_000 });
        await StorefrontBrowser.ScreenshotAsync(buyer, "storefront-checkout-declined");
        await PayAsync(buyer, "4242 4242 4242 4242", screenshot: null);

        // my orders: two tickets with QR codes
        await Expect(buyer).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/orders\\?new="), new() { Timeout = 20_000 });
        await WaitInteractiveAsync(buyer);
        await Expect(buyer.GetByTestId("ticket")).ToHaveCountAsync(2);
        await Expect(buyer.GetByRole(AriaRole.Img, new() { NameRegex = new("^QR code of ticket") })).ToHaveCountAsync(2);
        // each QR code carries the ticket's signed check-in payload (what the venue's scanners verify)
        foreach (var qr in await buyer.Locator("[data-qr]").AllAsync())
        {
            Assert.StartsWith("TA1.", await qr.GetAttributeAsync("data-qr"), StringComparison.Ordinal);
        }
        await AssertAccessibleAsync(buyer, "orders");
        await StorefrontBrowser.ScreenshotAsync(buyer, "storefront-my-orders");

        // the watcher: sold, and a "just bought" notice
        foreach (var seat in chosen)
        {
            await Expect(watcher.Locator($"[data-seat-id='{seat}']")).ToHaveAttributeAsync("data-status", "sold");
        }

        await Expect(watcher.GetByTestId("just-bought")).ToContainTextAsync("Just bought: 2 seats");
        await StorefrontBrowser.ScreenshotAsync(watcher, "storefront-event-just-bought");

        // a refund within the event's policy; the seats are for sale again in the watcher's map
        await buyer.GetByRole(AriaRole.Button, new() { Name = "Refund this order" }).ClickAsync();
        await Expect(buyer.GetByTestId("order-status")).ToContainTextAsync("refund", new() { Timeout = 20_000 });
        foreach (var seat in chosen)
        {
            await Expect(watcher.Locator($"[data-seat-id='{seat}']")).ToHaveAttributeAsync("data-status", "available", new() { Timeout = 20_000 });
        }

        // sign out: the storefront offers sign-in again
        await buyer.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(buyer.GetByRole(AriaRole.Link, new() { Name = "Sign in or register" })).ToBeVisibleAsync(new() { Timeout = 20_000 });
    }

    [Fact]
    public async Task AGuestBuysWithoutAnAccountWhereTheJurisdictionAllowsItAndNotWhereItDoesNot()
    {
        var store = Storefront("acme", "eu");
        await WaitRoutedAsync("acme", "eu");
        var eventId = await CreateEventAsync("eu", "acme", "Guest Night");
        await using var context = await _browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var guest = await context.NewPageAsync();
        await OpenAsync(guest, $"{store}/events/{eventId}");

        // the e-mail address first: a wrong one is refused at the field, and the page passes axe
        await guest.GetByRole(AriaRole.Link, new() { Name = "Continue as a guest" }).First.ClickAsync();
        await Expect(guest.GetByRole(AriaRole.Heading, new() { Name = "Continue as a guest" })).ToBeVisibleAsync();
        await guest.GetByLabel("E-mail address").FillAsync("not-an-address");
        await guest.GetByRole(AriaRole.Button, new() { Name = "Continue as a guest" }).ClickAsync();
        await Expect(guest.Locator("#f-Email")).ToHaveAttributeAsync("aria-invalid", "true");
        await AssertAccessibleAsync(guest, "guest checkout (error)");
        // the form again, filled in right
        await guest.GotoAsync(guest.Url);
        await Expect(guest.Locator("#f-Email")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        var email = $"guest-{Guid.NewGuid():N}@example.com";
        await guest.GetByLabel("E-mail address").FillAsync(email);
        await StorefrontBrowser.ScreenshotAsync(guest, "storefront-guest-checkout");
        await guest.GetByRole(AriaRole.Button, new() { Name = "Continue as a guest" }).ClickAsync();

        // back at the event as a guest: one seat, the card page, the order with its ticket
        await Expect(guest).ToHaveURLAsync($"{store}/events/{eventId}");
        await WaitInteractiveAsync(guest);
        await Expect(guest.GetByText($"Signed in as Guest ({email})")).ToBeVisibleAsync();
        var seat = (await SeatIdsAsync("eu", "acme", eventId))[0];
        await guest.Locator($"[data-seat-id='{seat}']").ClickAsync();
        await Expect(guest.Locator($"[data-seat-id='{seat}']")).ToHaveAttributeAsync("aria-pressed", "true");
        await guest.GetByRole(AriaRole.Button, new() { NameRegex = new("^Hold 1 seat") }).ClickAsync();
        await Expect(guest).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/checkout/[0-9a-f-]+$"));
        await Expect(guest.GetByTestId("guest-checkout-note")).ToContainTextAsync(email);
        await PayAsync(guest, "4242 4242 4242 4242", screenshot: null);
        await Expect(guest).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/orders\\?new="), new() { Timeout = 20_000 });
        await WaitInteractiveAsync(guest);
        await Expect(guest.GetByTestId("ticket")).ToHaveCountAsync(1);
        await Expect(guest.GetByTestId("guest-orders-note")).ToContainTextAsync(email);
        await AssertAccessibleAsync(guest, "guest orders");
        await StorefrontBrowser.ScreenshotAsync(guest, "storefront-guest-orders");

        // the order is the guest's: its e-mail is on it (the confirmation goes there)
        using (var api = await platform.IntegratorClientAsync("eu", "acme"))
        {
            var orderId = await guest.GetByTestId("order").First.GetAttributeAsync("data-order-id");
            var order = await api.GetFromJsonAsync<JsonObject>($"/v1/orders/{orderId}");
            Assert.StartsWith("guest:", (string)order!["customer_ref"]!, StringComparison.Ordinal);
        }

        // signing out ends the guest's session here (there is none at the identity service)
        await guest.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(guest.GetByRole(AriaRole.Link, new() { Name = "Sign in or register" })).ToBeVisibleAsync(new() { Timeout = 20_000 });

        // the us cell does not allow guests: no guest button, and the guest page says why
        var us = Storefront("initech", "us");
        await WaitRoutedAsync("initech", "us");
        var usEvent = await CreateEventAsync("us", "initech", "No Guests Night");
        var usPage = await context.NewPageAsync();
        await OpenAsync(usPage, $"{us}/events/{usEvent}");
        await Expect(usPage.GetByRole(AriaRole.Link, new() { Name = "Sign in to buy" }).First).ToBeVisibleAsync();
        await Expect(usPage.GetByTestId("guest-checkout")).ToHaveCountAsync(0);
        await usPage.GotoAsync($"{us}/account/guest");
        await Expect(usPage.GetByTestId("guest-not-allowed")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AHighTrafficOnSaleQueuesTheBuyerShowsThePlaceAndHoldsWhenItIsTheirTurn()
    {
        var store = Storefront("globex", "eu");
        await WaitRoutedAsync("globex", "eu");
        using var api = await platform.IntegratorClientAsync("eu", "globex");
        var created = await api.PostJsonAsync("/v1/events", Api.GaEvent("Queue Night " + Guid.NewGuid().ToString("N")[..6], 50), HttpStatusCode.Created);
        var eventId = created.Id();

        await using var context = await _browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var buyer = await context.NewPageAsync();
        await OpenAsync(buyer, $"{store}/events/{eventId}");
        await RegisterAndSignInAsync(buyer, "eu", "globex", $"queuer-{Guid.NewGuid():N}@example.com", "correct horse battery");
        await Expect(buyer).ToHaveURLAsync($"{store}/events/{eventId}");
        await WaitInteractiveAsync(buyer);

        // the reseller turns the waiting room on: the on-sale opens in 15 s, then 60 buyers a minute
        using (var room = await api.PutAsJsonAsync($"/v1/events/{eventId}/waiting-room",
            new { on_sale_at = DateTimeOffset.UtcNow.AddSeconds(15), admit_per_minute = 60, window_seconds = 600 }, PlatformFixture.Json))
        {
            Assert.Equal(HttpStatusCode.OK, room.StatusCode);
        }

        // the API's cache of rooms lives 5 s: until then a hold may still pass without admission
        await Task.Delay(TimeSpan.FromSeconds(6));
        var clock = Stopwatch.StartNew();
        await buyer.GetByRole(AriaRole.Button, new() { Name = "Hold tickets" }).ClickAsync();
        await Expect(buyer.GetByTestId("queue-position")).ToContainTextAsync("You are number 1 in line, 0 ahead of you", new() { Timeout = 20_000 });
        await Expect(buyer.GetByTestId("queue-position")).ToContainTextAsync("Estimated wait:");
        await StorefrontBrowser.ScreenshotAsync(buyer, "storefront-waiting-room");

        // admitted after the on-sale: the hold the buyer asked for is made, and checkout opens
        await Expect(buyer).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/checkout/[0-9a-f-]+$"), new() { Timeout = 60_000 });
        output.WriteLine($"queued, admitted and held {clock.Elapsed.TotalSeconds:F1} s after clicking Hold (on-sale 15 s after the room was turned on)");
        await Expect(buyer.GetByTestId("countdown")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        var place = await Eventually.GetAsync(async () =>
        {
            var room = await api.GetJsonAsync($"/v1/events/{eventId}/waiting-room");
            return (long)room["used"]! == 1 ? room : null;
        }, "the admission spent by the hold", TimeSpan.FromSeconds(10));
        Assert.Equal(0L, (long)place["waiting"]!);
    }

    [Fact]
    public async Task EachResellerHostShowsItsOwnStorefrontAndAnUnknownHostNone()
    {
        await WaitRoutedAsync("globex", "eu");
        await WaitRoutedAsync("initech", "us");
        await using var context = await _browser!.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{Storefront("globex", "eu")}/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Events at Globex Live");
        await page.GotoAsync($"{Storefront("initech", "us")}/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Events at");
        var unknown = await page.GotoAsync($"http://nobody.localhost:{platform.App.GetEndpoint("router", "http").Port}/");
        Assert.Equal(404, unknown!.Status);
    }

    private string Storefront(string reseller, string cell) => $"http://{reseller}.{cell}.localhost:{platform.App.GetEndpoint("router", "http").Port}";

    /// <summary>The router probes each storefront (every 5 s): one that just started may take a probe to be routed to.</summary>
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

    /// <summary>Interactive server pages ignore clicks until their circuit is connected.</summary>
    private static Task WaitInteractiveAsync(IPage page) =>
        Expect(page.Locator("#app-state")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 30_000 });

    private async Task RegisterAndSignInAsync(IPage page, string cell, string reseller, string email, string password)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in to buy" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Create one" }).ClickAsync();
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Name").FillAsync("Test Buyer");
        await page.GetByLabel("Password (at least 10 characters)").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        // the identity service's answer (it wrote the verification e-mail): server work, seconds on a loaded machine
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your e-mail" })).ToBeVisibleAsync(new() { Timeout = 60_000 });

        // the link of the registration e-mail, from the reseller's mailbox
        using var api = await platform.IntegratorClientAsync(cell, reseller);
        var link = await Eventually.GetAsync<string>(async () =>
        {
            var mails = await api.GetFromJsonAsync<JsonObject>($"/v1/mailbox?to={Uri.EscapeDataString(email)}");
            var id = mails!["mails"]!.AsArray().FirstOrDefault(m => (string?)m!["kind"] == "account_verification")?["id"]?.GetValue<string>();
            if (id is null)
            {
                return null;
            }

            var mail = await api.GetFromJsonAsync<JsonObject>($"/v1/mailbox/{id}");
            return System.Text.RegularExpressions.Regex.Match((string)mail!["text_body"]!, @"https?://\S+/account/verify\?\S+").Value;
        }, "the registration e-mail", TimeSpan.FromSeconds(20));

        await page.GotoAsync(link);
        await page.GetByLabel("The password you chose").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
    }

    private static async Task PayAsync(IPage page, string card, string? screenshot)
    {
        // a plain link to the PSP's card page (it does not depend on the page's live circuit)
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new("^Pay .* by card$") }).ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/pay/"), new() { Timeout = 30_000 });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Pay by card" })).ToBeVisibleAsync();
        await page.GetByLabel("Card number").FillAsync(card);
        if (screenshot is not null)
        {
            await StorefrontBrowser.ScreenshotAsync(page, screenshot);
        }

        await page.GetByRole(AriaRole.Button, new() { NameRegex = new("^Pay ") }).ClickAsync();
        // the return page is server work (the API's check at the PSP): on a loaded machine it takes seconds
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/checkout/.+/return"), new() { Timeout = 60_000 });
        await WaitInteractiveAsync(page);
    }

    private async Task AssertAccessibleAsync(IPage page, string name)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        output.WriteLine($"axe {name}: {result.Violations.Length} violations, {serious.Count} serious or critical ({string.Join(", ", result.Violations.Select(v => $"{v.Id}:{v.Impact}"))})");
        Assert.True(serious.Count == 0, $"{name}: " + string.Join("; ", serious.Select(v => $"{v.Id} ({v.Impact}) {v.Help}: {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }

    private async Task<Guid> CreateEventAsync(string cell, string reseller, string name)
    {
        using var api = await platform.IntegratorClientAsync(cell, reseller);
        using var response = await api.PostAsJsonAsync("/v1/events", new
        {
            name,
            type = "concert",
            performer = "The Testers",
            starts_at = DateTimeOffset.UtcNow.AddDays(30),
            venue = new { name = "Test Hall", city = "Lyon", country = "FR" },
            seating = "reserved",
            ticket_classes = new[] { new { name = "Front", price_minor = 4500 }, new { name = "Back", price_minor = 2500 } },
            sections = new[]
            {
                new { name = "A", rows = new[] { new { label = "1", @class = "Front", seat_count = 8 }, new { label = "2", @class = "Back", seat_count = 8 } } },
            },
        }, PlatformFixture.Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!["id"]!.GetValue<Guid>();
    }

    private async Task<List<Guid>> SeatIdsAsync(string cell, string reseller, Guid eventId)
    {
        using var api = platform.ResellerClient(cell, $"{reseller}.{cell}.localhost");
        var map = await api.GetFromJsonAsync<JsonObject>($"/v1/events/{eventId}/seats");
        return [.. map!["seats"]!.AsArray().Select(s => s!["id"]!.GetValue<Guid>())];
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static IPageAssertions Expect(IPage page) => Assertions.Expect(page);
}
