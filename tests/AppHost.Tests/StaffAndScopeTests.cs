using System.Text.Json.Nodes;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Function-level authorization: scopes separate what integrators may do; platform support staff act for any reseller of
/// their cell (by the reseller's host), every action audited; operators administer the cell and touch no reseller data.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class StaffAndScopeTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_token_without_the_scope_is_403_with_the_needed_grant_named()
    {
        var readOnly = await platform.IntegratorTokenAsync("eu", "acme", "inventory:read");
        using var http = platform.ResellerClient("eu", "acme.eu.localhost", readOnly);
        var createEvent = await http.PostJsonAsync("/v1/events", Api.ReservedEvent("Nope", 1, 1), HttpStatusCode.Forbidden);
        Assert.Equal("forbidden", (string)createEvent["code"]!);
        Assert.Contains("inventory:write", (string)createEvent["detail"]!, StringComparison.Ordinal);
        await http.GetJsonAsync("/v1/orders?customer_ref=x", HttpStatusCode.Forbidden);

        var ordersRead = await platform.IntegratorTokenAsync("eu", "acme", "orders:read");
        using var reader = platform.ResellerClient("eu", "acme.eu.localhost", ordersRead);
        await reader.GetJsonAsync("/v1/orders?customer_ref=x");
        await reader.PostJsonAsync("/v1/holds", new { event_id = Guid.NewGuid(), customer_ref = "x", seat_ids = new[] { Guid.NewGuid() } }, HttpStatusCode.Forbidden);
        await reader.GetJsonAsync("/v1/audit", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Support_acts_for_any_reseller_of_its_cell_and_every_action_is_audited()
    {
        using var acme = await platform.IntegratorClientAsync("eu", "acme");
        var (created, seats) = await acme.CreateReservedEventAsync("Support " + Guid.NewGuid(), 1, 3);
        var hold = await acme.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "needs-help", seat_ids = seats.Take(1) }, HttpStatusCode.Created);

        var support = await StaffTokenAsync("eu", "support");
        var jwt = Tokens.Read(support);
        Assert.Equal("staff", jwt.GetClaim("kind").Value);
        Assert.False(jwt.TryGetClaim("reseller", out _));
        Assert.EndsWith("/platform", jwt.Issuer, StringComparison.Ordinal);

        using var onAcme = platform.ResellerClient("eu", "acme.eu.localhost", support);
        await onAcme.GetJsonAsync($"/v1/holds/{hold.Id()}");
        using (var cancel = await onAcme.DeleteAsync($"/v1/holds/{hold.Id()}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        }

        // ordinary audit lines are written in batches (AuditWriter), on whichever replica served the request
        bool Complete(List<JsonObject> l) =>
            l.Any(e => (string)e["actor_kind"]! == "staff" && (string)e["action"]! == "GetHold" && (int)e["status"]! == 200)
            && l.Any(e => (string)e["actor_kind"]! == "staff" && (string)e["action"]! == "CancelHold" && (int)e["status"]! == 204)
            && l.Any(e => (string)e["actor_kind"]! == "integrator" && (string)e["action"]! == "CreateHold");
        var lines = await Eventually.GetAsync(async () =>
        {
            var found = (await acme.GetJsonAsync($"/v1/audit?resource_id={hold.Id()}"))["entries"]!.AsArray().Select(e => e!.AsObject()).ToList();
            return Complete(found) ? found : null;
        }, "the three audit lines of the hold");
        Assert.Contains(lines, e => (string)e["actor_kind"]! == "staff" && (string)e["subject"]! == "eu-support" && (string)e["action"]! == "GetHold" && (int)e["status"]! == 200);
        Assert.Contains(lines, e => (string)e["actor_kind"]! == "staff" && (string)e["action"]! == "CancelHold" && (int)e["status"]! == 204);
        Assert.Contains(lines, e => (string)e["actor_kind"]! == "integrator" && (string)e["subject"]! == "acme-backend" && (string)e["action"]! == "CreateHold");

        // the same token works for the cell's other reseller, through that reseller's host only
        using var onGlobex = platform.ResellerClient("eu", "globex.eu.localhost", support);
        await onGlobex.GetJsonAsync("/v1/orders?customer_ref=anyone");
        using var noHost = new HttpClient { BaseAddress = platform.App.GetEndpoint("eu-api", "http") };
        noHost.DefaultRequestHeaders.Authorization = new("Bearer", support);
        var unresolved = await noHost.GetJsonAsync("/v1/orders?customer_ref=anyone", HttpStatusCode.NotFound);
        Assert.Equal("tenancy.unresolved", (string)unresolved["code"]!);

        // and it is nothing in another cell
        using var otherCell = platform.ResellerClient("us", "initech.us.localhost", support);
        await otherCell.GetJsonAsync("/v1/orders?customer_ref=anyone", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Operators_list_the_cells_resellers_and_touch_no_reseller_data()
    {
        var operatorToken = await StaffTokenAsync("eu", "operator");
        using var http = new HttpClient { BaseAddress = platform.App.GetEndpoint("eu-api", "http") };
        http.DefaultRequestHeaders.Authorization = new("Bearer", operatorToken);
        var resellers = await http.GetJsonAsync("/v1/admin/resellers");
        Assert.Equal(["acme", "globex"], resellers["resellers"]!.AsArray().Select(r => (string)r!["id"]!).Order(StringComparer.Ordinal));

        using var onAcme = platform.ResellerClient("eu", "acme.eu.localhost", operatorToken);
        await onAcme.GetJsonAsync("/v1/orders?customer_ref=x", HttpStatusCode.Forbidden);
        await onAcme.PostJsonAsync("/v1/events", Api.ReservedEvent("Op", 1, 1), HttpStatusCode.Forbidden);

        using var integrator = await platform.IntegratorClientAsync("eu", "acme");
        await integrator.GetJsonAsync("/v1/admin/resellers", HttpStatusCode.Forbidden);
        using var anonymous = new HttpClient { BaseAddress = platform.App.GetEndpoint("eu-api", "http") };
        await anonymous.GetJsonAsync("/v1/admin/resellers", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Staff_scopes_are_not_given_to_integrators_nor_reseller_scopes_to_staff()
    {
        using var identity = platform.IdentityClient("eu");
        using var integratorAsksSupport = await Tokens.RequestAsync(identity, "acme", new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "acme-backend", ["client_secret"] = PlatformFixture.ClientSecret("acme"), ["scope"] = "support",
        });
        Assert.Equal(HttpStatusCode.BadRequest, integratorAsksSupport.StatusCode);
        using var supportAsksOrders = await Tokens.RequestAsync(identity, "platform", new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "eu-support", ["client_secret"] = PlatformFixture.StaffSecret("eu", "support"), ["scope"] = "orders:write",
        });
        Assert.Equal(HttpStatusCode.BadRequest, supportAsksOrders.StatusCode);
        // staff clients exist only on the platform issuer, whose tables are in the catalog
        using var supportAtAcme = await Tokens.RequestAsync(identity, "acme", new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "eu-support", ["client_secret"] = PlatformFixture.StaffSecret("eu", "support"), ["scope"] = "support",
        });
        Assert.Equal("invalid_client", (string)JsonNode.Parse(await supportAtAcme.Content.ReadAsStringAsync())!["error"]!);
    }

    private Task<string> StaffTokenAsync(string cell, string role) =>
        Tokens.ClientCredentialsAsync(platform, cell, "platform", $"{cell}-{role}", PlatformFixture.StaffSecret(cell, role), role);
}
