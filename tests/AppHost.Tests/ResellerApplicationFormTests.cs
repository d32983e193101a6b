using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TicketAspire.AppHost.Extensions;
using Xunit.Abstractions;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Self-registration end to end (docs/onboarding.md): a prospective reseller fills the application form on the cell's
/// own host in a real browser (Debian's chromium), sees the API's field errors next to the fields (an invalid e-mail, a
/// taken reseller id), then the confirmation; an operator rejects one application and approves the other with the
/// dashboard's commands, and the approved reseller is provisioned. axe-core checks the form, empty and with errors.
/// An AppHost of its own (the onboarding fixture): approval adds a reseller to the cell, and the applications count
/// against the storefront's per-address limit.
/// </summary>
public sealed class ResellerApplicationFormTests(OnboardingFixture cell, ITestOutputHelper output) : IClassFixture<OnboardingFixture>, IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(20_000);
        using (var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
        {
            await cell.App.ResourceNotifications.WaitForResourceHealthyAsync("eu-web", cts.Token);
        }

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
    public async Task A_prospective_reseller_applies_in_the_browser_and_an_operator_approves_it_in_the_dashboard()
    {
        var web = cell.App.GetEndpoint("eu-web", "http");
        var form = $"http://eu.localhost:{web.Port}/apply";
        await using var context = await _browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1100, Height = 900 } });
        var page = await context.NewPageAsync();

        // the form, on the cell's own host only
        await page.GotoAsync(form);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Become a reseller", Level = 1 })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "application form");
        await StorefrontBrowser.ScreenshotAsync(page, "reseller-application-form");
        using (var routed = cell.RouterClient("eu.localhost"))
        {
            var html = await Eventually.GetAsync(async () =>
            {
                using var response = await routed.GetAsync("/apply");
                return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
            }, "the form through the router", TimeSpan.FromSeconds(30));
            Assert.Contains("Become a reseller", html, StringComparison.Ordinal);
        }

        using (var resellerHost = new HttpClient { BaseAddress = web })
        {
            resellerHost.DefaultRequestHeaders.Host = "acme.eu.localhost";
            using var response = await resellerHost.GetAsync("/apply");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        // an invalid e-mail: the API's error next to the field, the field marked invalid, the other values kept
        await FillAsync(page, "wingtip", "Wingtip Toys Tickets", "wingtip.eu.localhost", "not-an-e-mail", "Wingtip Ticketing GmbH");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send application" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The application was not sent");
        await Expect(page.Locator("#f-ContactEmail-error")).ToContainTextAsync("Not an e-mail address");
        await Expect(page.GetByLabel("Contact e-mail")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByLabel("Contact e-mail")).ToBeFocusedAsync();
        Assert.StartsWith("Error: ", await page.TitleAsync(), StringComparison.Ordinal);
        await Expect(page.GetByLabel("Contact e-mail")).ToHaveAttributeAsync("aria-describedby", "f-ContactEmail-hint f-ContactEmail-error");
        await Expect(page.GetByLabel("Legal name")).ToHaveValueAsync("Wingtip Ticketing GmbH");
        await Expect(page.Locator(".field-error")).ToHaveCountAsync(1);
        await AssertAccessibleAsync(page, "application form with an error");
        await StorefrontBrowser.ScreenshotAsync(page, "reseller-application-form-error");

        // a taken reseller id (a reseller of the cell file): the conflict next to the id
        await page.GetByLabel("Contact e-mail").FillAsync("partners@wingtip.example");
        await page.GetByLabel("Reseller id").FillAsync("acme");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send application" }).ClickAsync();
        await Expect(page.Locator("#f-Id-error")).ToContainTextAsync("is taken");
        await Expect(page.GetByLabel("Reseller id")).ToBeFocusedAsync();
        await Expect(page.Locator("#f-ContactEmail-error")).ToHaveCountAsync(0);

        // accepted: the confirmation with its reference and what happens next
        await page.GetByLabel("Reseller id").FillAsync("wingtip");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send application" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Application received", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "What happens next" })).ToBeVisibleAsync();
        var reference = await page.Locator("code").InnerTextAsync();
        Assert.True(Guid.TryParse(reference, out var applicationId), reference);
        await AssertAccessibleAsync(page, "application received");
        await StorefrontBrowser.ScreenshotAsync(page, "reseller-application-received");

        // a second applicant, whom the operator rejects
        var second = await context.NewPageAsync();
        await second.GotoAsync(form);
        await FillAsync(second, "litware", "Litware Tickets", "litware.eu.localhost", "hello@litware.example", "Litware Ticketing GmbH");
        await second.GetByRole(AriaRole.Button, new() { Name = "Send application" }).ClickAsync();
        await Expect(second.GetByRole(AriaRole.Heading, new() { Name = "Application received", Level = 1 })).ToBeVisibleAsync();
        var rejectedId = Guid.Parse(await second.Locator("code").InnerTextAsync());

        // the operator sees both pending, as submitted (normalized by the API)
        using var operatorApi = await cell.OperatorClientAsync();
        var pending = (await operatorApi.GetJsonAsync("/v1/admin/reseller-applications"))["applications"]!.AsArray();
        var wingtip = pending.Single(a => a.Id() == applicationId.ToString());
        Assert.Equal(("wingtip", "partners@wingtip.example", "DE89370400440532013000", "wingtip.eu.localhost"),
            ((string)wingtip!["reseller_id"]!, (string)wingtip["contact_email"]!, (string)wingtip["registration"]!["billing"]!["payout"]!["iban"]!,
             (string)wingtip["registration"]!["hosts"]![0]!));
        Assert.Contains(pending, a => a.Id() == rejectedId.ToString());

        // the dashboard's prompt offers the pending applications by legal name, reseller id, contact and date
        var model = cell.App.Services.GetRequiredService<DistributedApplicationModel>();
        var approve = model.Resources.Single(r => r.Name == "eu-provisioner").Annotations.OfType<ResourceCommandAnnotation>().Single(c => c.Name == ApplicationCommands.ApproveName);
        var choice = approve.Arguments!.Single(a => a.Name == "application");
        await choice.DynamicLoading!.LoadCallback(new LoadInputContext
        {
            Input = choice, AllInputs = new([choice]), Services = cell.App.Services, CancellationToken = CancellationToken.None,
        });
        Assert.Equal(InputType.Choice, choice.InputType);
        Assert.Contains(choice.Options!, o => o.Key == applicationId.ToString() && o.Value.StartsWith("Wingtip Ticketing GmbH (wingtip, partners@wingtip.example), applied ", StringComparison.Ordinal));
        Assert.Contains(choice.Options!, o => o.Key == rejectedId.ToString());

        // the dashboard's commands: no application chosen, a rejection with its reason, a second decision refused
        var commands = cell.App.Services.GetRequiredService<ResourceCommandService>();
        var none = await commands.ExecuteCommandAsync("eu-provisioner", ApplicationCommands.ApproveName, Arguments(("application", "")), CancellationToken.None);
        Assert.False(none.Success);
        var rejected = await commands.ExecuteCommandAsync("eu-provisioner", ApplicationCommands.RejectName,
            Arguments(("application", rejectedId.ToString()), ("reason", "No trading history yet")), CancellationToken.None);
        Assert.True(rejected.Success, rejected.Message);
        Assert.Equal("rejected", (string)JsonNode.Parse(rejected.Data!.Value)!["state"]!);
        var twice = await commands.ExecuteCommandAsync("eu-provisioner", ApplicationCommands.ApproveName, Arguments(("application", rejectedId.ToString())), CancellationToken.None);
        Assert.False(twice.Success);
        Assert.Contains("HTTP 409", twice.Message ?? "", StringComparison.Ordinal);
        output.WriteLine($"approving a rejected application: {twice.Message}");

        // approval starts the onboarding; the integrator's secret is in the command's answer
        var approved = await commands.ExecuteCommandAsync("eu-provisioner", ApplicationCommands.ApproveName, Arguments(("application", applicationId.ToString())), CancellationToken.None);
        Assert.True(approved.Success, approved.Message);
        var answer = JsonNode.Parse(approved.Data!.Value)!;
        Assert.Equal("wingtip-backend", (string)answer["integrator"]!["client_id"]!);
        Assert.False(string.IsNullOrEmpty((string?)answer["integrator"]!["client_secret"]));

        var decided = (await operatorApi.GetJsonAsync("/v1/admin/reseller-applications?state=approved"))["applications"]!.AsArray();
        Assert.Contains(decided, a => a.Id() == applicationId.ToString() && (string)a!["decided_by"]! == "eu-operator" && a["job_id"] is not null);
        var rejections = (await operatorApi.GetJsonAsync("/v1/admin/reseller-applications?state=rejected"))["applications"]!.AsArray();
        Assert.Contains(rejections, a => a.Id() == rejectedId.ToString() && (string)a!["decision_note"]! == "No trading history yet");

        var status = await Eventually.GetAsync(async () =>
        {
            var s = await operatorApi.GetJsonAsync("/v1/admin/resellers/wingtip/provisioning");
            Assert.NotEqual("failed", (string)s["state"]!);
            return (string)s["state"]! == "completed" ? s : null;
        }, "wingtip's onboarding", TimeSpan.FromSeconds(90));
        output.WriteLine($"approved application: provisioning completed in {status["elapsed_ms"]} ms");
        Assert.Contains("wingtip", (await operatorApi.GetJsonAsync("/v1/admin/resellers"))["resellers"]!.AsArray().Select(r => (string)r!["id"]!));

        // the application's contact address is invited to administer the new reseller's console (the e-mail is in
        // wingtip's own mailbox); its owner accepts in the browser and the console opens, signed in
        var origin = $"http://wingtip.eu.localhost:{cell.App.GetEndpoint("router", "http").Port}";
        var mail = await Eventually.GetAsync(async () =>
        {
            await using var db = await cell.OpenDatabaseAsync("reseller_wingtip");
            await using var read = new Npgsql.NpgsqlCommand("SELECT text_body FROM mailbox WHERE kind = 'console_invitation' AND to_address = 'partners@wingtip.example'", db);
            return await read.ExecuteScalarAsync() as string;
        }, "wingtip's console invitation", TimeSpan.FromSeconds(30));
        Assert.Contains($"Afterwards the console is at {origin}/console", mail, StringComparison.Ordinal);
        var link = System.Text.RegularExpressions.Regex.Match(mail, @"https?://\S+/wingtip/account/invitation\?token=\S+").Value;
        var invitee = await context.NewPageAsync();
        await invitee.GotoAsync(link);
        await Expect(invitee.GetByRole(AriaRole.Heading, new() { Name = "Administer Wingtip Toys Tickets" })).ToBeVisibleAsync();
        await invitee.GetByLabel("Your name").FillAsync("Wendy Wingtip");
        await invitee.GetByLabel("Choose a password (at least 10 characters)").FillAsync("wingtip-admin-password-1");
        await AssertAccessibleAsync(invitee, "console invitation");
        await StorefrontBrowser.ScreenshotAsync(invitee, "console-invitation");
        await invitee.GetByRole(AriaRole.Button, new() { Name = "Accept the invitation" }).ClickAsync();
        await Expect(invitee.GetByRole(AriaRole.Heading, new() { Name = "Invitation accepted" })).ToBeVisibleAsync();
        await Expect(invitee.GetByRole(AriaRole.Link, new() { Name = "Open the console" })).ToHaveAttributeAsync("href", $"{origin}/console");

        // the console's sign-in finds the identity service's session of the acceptance: no password asked again
        await invitee.GotoAsync($"{origin}/console/login?returnUrl=%2Fconsole");
        await Assertions.Expect(invitee).ToHaveURLAsync($"{origin}/console", new() { Timeout = 60_000 });
        await Expect(invitee.GetByText("Wingtip Toys Tickets").First).ToBeVisibleAsync(new() { Timeout = 30_000 });

        // the link works once
        var again = await context.NewPageAsync();
        await again.GotoAsync(link);
        await Expect(again.GetByRole(AriaRole.Heading, new() { Name = "Link not valid" })).ToBeVisibleAsync();
    }

    private static InteractionInputCollection Arguments(params (string Name, string Value)[] values) =>
        new([.. values.Select(v => new InteractionInput { Name = v.Name, Label = v.Name, InputType = InputType.Text, Value = v.Value })]);

    private static async Task FillAsync(IPage page, string id, string name, string host, string email, string legalName)
    {
        await page.GetByLabel("Reseller id").FillAsync(id);
        await page.GetByLabel("Storefront name").FillAsync(name);
        await page.GetByLabel("Storefront host name").FillAsync(host);
        await page.GetByLabel("Contact e-mail").FillAsync(email);
        await page.GetByLabel("Legal name").FillAsync(legalName);
        await page.GetByLabel("Street and number").FillAsync("Friedrichstraße 1");
        await page.GetByLabel("Postal code").FillAsync("10117");
        await page.GetByLabel("City").FillAsync("Berlin");
        await page.GetByLabel("Country").FillAsync("DE");
        await page.GetByLabel("VAT or tax id").FillAsync("DE123456789");
        await page.GetByLabel("Account holder").FillAsync(legalName);
        await page.GetByLabel("IBAN").FillAsync("DE89 3704 0044 0532 0130 00");
        await page.GetByLabel("BIC").FillAsync("COBADEFFXXX");
    }

    private async Task AssertAccessibleAsync(IPage page, string name)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        output.WriteLine($"axe {name}: {result.Violations.Length} violations, {serious.Count} serious or critical ({string.Join(", ", result.Violations.Select(v => $"{v.Id}:{v.Impact}"))})");
        Assert.True(serious.Count == 0, $"{name}: " + string.Join("; ", serious.Select(v => $"{v.Id} ({v.Impact}) {v.Help}: {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
