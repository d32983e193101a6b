using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// The BOLA/BFLA matrix. The endpoints come from the API's own endpoint data source (the API built in-process), so an
/// endpoint added without a row here fails the test. For every endpoint: anonymous callers, tokens lacking the scope,
/// end users, operators and another reseller's integrator are refused; another reseller's resources are unreachable by
/// id, by host and by query. Requests go to the real <c>eu-api</c> of the running AppHost.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AccessMatrixTests(PlatformFixture platform)
{
    private enum Access { Public, Signed, InventoryWrite, InventoryRead, OrdersRead, OrdersWrite, Customer, AuditRead, ReportsRead, WebhooksManage, MailboxRead, WaitingRoomManage, CheckIn, SupportTicketsWrite, Support, Operator }

    /// <summary>How a request reaches a reseller's resources.</summary>
    private enum Reach { None, ById, ByQuery }

    private sealed record Case(string Method, Func<Resources, string> Path, Func<Resources, object>? Body, Access Access, Reach Reach, bool Tenant = true);

    private sealed record Resources(
        string Reseller, string EventId, string FreeSeat, string HoldId, string OrderId, string CustomerRef, string EndpointId, string DeliveryId, string MailId, string Email,
        string TicketId, string ListingId, string TransferId, string LotteryEventId, string VoucherId, string SupportTicketId, string GroupQuoteId,
        string PassId, string PassPurchaseId);

    private static readonly Dictionary<string, Case> Matrix = new(StringComparer.Ordinal)
    {
        ["ListEventTypes"] = new("GET", _ => "/v1/event-types", null, Access.Public, Reach.None),
        ["ListEvents"] = new("GET", _ => "/v1/events", null, Access.Public, Reach.None),
        ["CreateEvent"] = new("POST", _ => "/v1/events", _ => Api.ReservedEvent("Matrix", 1, 1), Access.InventoryWrite, Reach.None),
        ["GetEvent"] = new("GET", r => $"/v1/events/{r.EventId}", null, Access.Public, Reach.ById),
        ["GetSeatMap"] = new("GET", r => $"/v1/events/{r.EventId}/seats", null, Access.Public, Reach.ById),
        ["StreamSeats"] = new("GET", r => $"/v1/events/{r.EventId}/stream", null, Access.Public, Reach.ById),
        ["CreateHold"] = new("POST", _ => "/v1/holds", r => new { event_id = r.EventId, customer_ref = "matrix-x", seat_ids = new[] { r.FreeSeat } }, Access.OrdersWrite, Reach.ById),
        ["GetHold"] = new("GET", r => $"/v1/holds/{r.HoldId}", null, Access.OrdersRead, Reach.ById),
        ["StartPayment"] = new("POST", r => $"/v1/holds/{r.HoldId}/payment", null, Access.OrdersWrite, Reach.ById),
        ["ConfirmHold"] = new("POST", r => $"/v1/holds/{r.HoldId}/confirm", null, Access.OrdersWrite, Reach.ById),
        ["CancelHold"] = new("DELETE", r => $"/v1/holds/{r.HoldId}", null, Access.OrdersWrite, Reach.ById),
        ["GetOrder"] = new("GET", r => $"/v1/orders/{r.OrderId}", null, Access.OrdersRead, Reach.ById),
        ["RefundOrder"] = new("POST", r => $"/v1/orders/{r.OrderId}/refund", _ => new { reason = "matrix" }, Access.OrdersWrite, Reach.ById),
        ["RefundMyOrder"] = new("POST", r => $"/v1/me/orders/{r.OrderId}/refund", _ => new { reason = "matrix" }, Access.Customer, Reach.ById),
        ["SetEventPricing"] = new("PUT", r => $"/v1/events/{r.EventId}/pricing", _ => new { enabled = false }, Access.InventoryWrite, Reach.ById),
        ["UpdateEvent"] = new("PATCH", r => $"/v1/events/{r.EventId}", _ => new { description = "matrix" }, Access.InventoryWrite, Reach.ById),
        ["GetEventHistory"] = new("GET", r => $"/v1/events/{r.EventId}/history", null, Access.InventoryRead, Reach.ById),
        ["CancelEvent"] = new("POST", r => $"/v1/events/{r.EventId}/cancel", null, Access.InventoryWrite, Reach.ById),
        ["ReceivePspEvent"] = new("POST", _ => "/v1/psp/webhooks", _ => new { id = "evt_matrix", type = "payment_intent.succeeded" }, Access.Signed, Reach.None, Tenant: false),
        ["ListOrders"] = new("GET", r => $"/v1/orders?customer_ref={r.CustomerRef}", null, Access.OrdersRead, Reach.ByQuery),
        ["ListMyOrders"] = new("GET", _ => "/v1/me/orders", null, Access.Customer, Reach.None),
        ["ExportMyData"] = new("GET", _ => "/v1/me/data", null, Access.Customer, Reach.None),
        ["DeleteMyData"] = new("DELETE", _ => "/v1/me/data", null, Access.Customer, Reach.None),
        ["ListAudit"] = new("GET", r => $"/v1/audit?resource_id={r.HoldId}", null, Access.AuditRead, Reach.ByQuery),
        ["GetSalesReport"] = new("GET", _ => "/v1/reports/sales?group_by=class", null, Access.ReportsRead, Reach.None),
        ["GetStatement"] = new("GET", _ => "/v1/reports/statement", null, Access.ReportsRead, Reach.None),
        ["GetPayoutForecast"] = new("GET", _ => "/v1/reports/payouts", null, Access.ReportsRead, Reach.None),
        ["ListJournal"] = new("GET", r => $"/v1/reports/journal?order_id={r.OrderId}", null, Access.ReportsRead, Reach.ByQuery),
        ["ListWebhookEventTypes"] = new("GET", _ => "/v1/webhooks/event-types", null, Access.WebhooksManage, Reach.None),
        ["CreateWebhookEndpoint"] = new("POST", _ => "/v1/webhooks/endpoints", _ => new { url = "http://127.0.0.1:9/hooks/matrix" }, Access.WebhooksManage, Reach.None),
        ["ListWebhookEndpoints"] = new("GET", _ => "/v1/webhooks/endpoints", null, Access.WebhooksManage, Reach.ByQuery),
        ["GetWebhookEndpoint"] = new("GET", r => $"/v1/webhooks/endpoints/{r.EndpointId}", null, Access.WebhooksManage, Reach.ById),
        ["UpdateWebhookEndpoint"] = new("PATCH", r => $"/v1/webhooks/endpoints/{r.EndpointId}", _ => new { description = "matrix" }, Access.WebhooksManage, Reach.ById),
        ["DeleteWebhookEndpoint"] = new("DELETE", r => $"/v1/webhooks/endpoints/{r.EndpointId}", null, Access.WebhooksManage, Reach.ById),
        ["RotateWebhookSecret"] = new("POST", r => $"/v1/webhooks/endpoints/{r.EndpointId}/secret/rotate", null, Access.WebhooksManage, Reach.ById),
        ["ListWebhookDeliveries"] = new("GET", r => $"/v1/webhooks/endpoints/{r.EndpointId}/deliveries", null, Access.WebhooksManage, Reach.ById),
        ["ReplayWebhookEndpoint"] = new("POST", r => $"/v1/webhooks/endpoints/{r.EndpointId}/replay?status=dead", null, Access.WebhooksManage, Reach.ById),
        ["ListWebhookMessages"] = new("GET", _ => "/v1/webhooks/messages", null, Access.WebhooksManage, Reach.ByQuery),
        ["ReplayWebhookDelivery"] = new("POST", r => $"/v1/webhooks/deliveries/{r.DeliveryId}/replay", null, Access.WebhooksManage, Reach.ById),
        ["ListMailbox"] = new("GET", r => $"/v1/mailbox?to={r.Email}", null, Access.MailboxRead, Reach.ByQuery),
        ["GetMail"] = new("GET", r => $"/v1/mailbox/{r.MailId}", null, Access.MailboxRead, Reach.ById),
        ["ConfigureWaitingRoom"] = new("PUT", r => $"/v1/events/{r.EventId}/waiting-room", _ => new { on_sale_at = "2026-01-01T00:00:00Z", admit_per_minute = 60, window_seconds = 600 }, Access.WaitingRoomManage, Reach.ById),
        ["GetWaitingRoom"] = new("GET", r => $"/v1/events/{r.EventId}/waiting-room", null, Access.WaitingRoomManage, Reach.ById),
        ["DisableWaitingRoom"] = new("DELETE", r => $"/v1/events/{r.EventId}/waiting-room", null, Access.WaitingRoomManage, Reach.ById),
        ["ConfigureLottery"] = new("PUT", r => $"/v1/events/{r.LotteryEventId}/lottery",
            _ => new { registration_opens_at = "2026-01-01T00:00:00Z", registration_closes_at = "2036-01-01T00:00:00Z", winners = 1, window_seconds = 600 },
            Access.WaitingRoomManage, Reach.ById),
        ["GetLottery"] = new("GET", r => $"/v1/events/{r.LotteryEventId}/lottery", null, Access.Public, Reach.ById),
        ["DrawLottery"] = new("POST", r => $"/v1/events/{r.LotteryEventId}/lottery/draw", null, Access.WaitingRoomManage, Reach.ById),
        ["ListLotteryResults"] = new("GET", r => $"/v1/events/{r.LotteryEventId}/lottery/results", null, Access.WaitingRoomManage, Reach.ById),
        ["RegisterForLottery"] = new("POST", r => $"/v1/events/{r.LotteryEventId}/lottery/entries", _ => new { customer_ref = "matrix-x" }, Access.OrdersWrite, Reach.ById),
        ["GetLotteryEntry"] = new("GET", r => $"/v1/events/{r.LotteryEventId}/lottery/entry?customer_ref={r.CustomerRef}", null, Access.OrdersRead, Reach.ById),
        ["CreateVoucher"] = new("POST", r => $"/v1/events/{r.EventId}/vouchers", _ => new { code = "MATRIX-" + Guid.NewGuid().ToString("N")[..8], kind = "percentage", percent_off = 10 },
            Access.InventoryWrite, Reach.ById),
        ["ListVouchers"] = new("GET", r => $"/v1/events/{r.EventId}/vouchers", null, Access.InventoryRead, Reach.ById),
        ["GetVoucher"] = new("GET", r => $"/v1/events/{r.EventId}/vouchers/{r.VoucherId}", null, Access.InventoryRead, Reach.ById),
        ["DisableVoucher"] = new("DELETE", r => $"/v1/events/{r.EventId}/vouchers/{r.VoucherId}", null, Access.InventoryWrite, Reach.ById),
        ["CreateGroupQuote"] = new("POST", r => $"/v1/events/{r.EventId}/group-quotes",
            r => new { organization = "Matrix club", contact_email = "club@example.com", due_at = DateTimeOffset.UtcNow.AddDays(1), seat_ids = new[] { r.FreeSeat } },
            Access.InventoryWrite, Reach.ById),
        ["ListGroupQuotes"] = new("GET", r => $"/v1/events/{r.EventId}/group-quotes", null, Access.InventoryRead, Reach.ById),
        ["GetGroupQuote"] = new("GET", r => $"/v1/events/{r.EventId}/group-quotes/{r.GroupQuoteId}", null, Access.InventoryRead, Reach.ById),
        ["RecordGroupQuotePayment"] = new("POST", r => $"/v1/events/{r.EventId}/group-quotes/{r.GroupQuoteId}/payment", _ => new { reference = "matrix", amount_minor = 1 },
            Access.InventoryWrite, Reach.ById),
        ["CancelGroupQuote"] = new("POST", r => $"/v1/events/{r.EventId}/group-quotes/{r.GroupQuoteId}/cancel", null, Access.InventoryWrite, Reach.ById),
        ["CreatePass"] = new("POST", _ => "/v1/passes", _ => new { name = "Matrix season", kind = "season" }, Access.InventoryWrite, Reach.None),
        ["ListPasses"] = new("GET", _ => "/v1/passes", null, Access.Public, Reach.None),
        ["GetPass"] = new("GET", r => $"/v1/passes/{r.PassId}", null, Access.Public, Reach.ById),
        ["CreatePassPurchase"] = new("POST", r => $"/v1/passes/{r.PassId}/purchases", _ => new { customer_ref = "matrix-x", section = "A", row = "1", number = "6" },
            Access.OrdersWrite, Reach.ById),
        ["GetPassPurchase"] = new("GET", r => $"/v1/pass-purchases/{r.PassPurchaseId}", null, Access.OrdersRead, Reach.ById),
        ["StartPassPayment"] = new("POST", r => $"/v1/pass-purchases/{r.PassPurchaseId}/payment", null, Access.OrdersWrite, Reach.ById),
        ["ConfirmPassPurchase"] = new("POST", r => $"/v1/pass-purchases/{r.PassPurchaseId}/confirm", null, Access.OrdersWrite, Reach.ById),
        ["RedeemPassCredit"] = new("POST", r => $"/v1/pass-purchases/{r.PassPurchaseId}/redemptions", r => new { event_id = r.EventId, seat_id = r.FreeSeat },
            Access.OrdersWrite, Reach.ById),
        ["ConfigurePresale"] = new("PUT", r => $"/v1/events/{r.EventId}/presale", _ => new { general_on_sale_at = (string?)null }, Access.InventoryWrite, Reach.ById),
        ["GetPresale"] = new("GET", r => $"/v1/events/{r.EventId}/presale", null, Access.Public, Reach.ById),
        ["RegisterForPresale"] = new("POST", r => $"/v1/events/{r.EventId}/presale/registrations", null, Access.Customer, Reach.ById),
        ["JoinQueue"] = new("POST", r => $"/v1/queue/events/{r.EventId}/join", _ => new { customer_ref = "matrix-x" }, Access.OrdersWrite, Reach.ById),
        ["GetMyQueueEntry"] = new("GET", r => $"/v1/queue/events/{r.EventId}/me", null, Access.Customer, Reach.ById),
        ["StreamMyQueueEntry"] = new("GET", r => $"/v1/queue/events/{r.EventId}/me/stream", null, Access.Customer, Reach.ById),
        ["JoinWaitlist"] = new("POST", r => $"/v1/events/{r.EventId}/waitlist", _ => new { class_id = Guid.NewGuid(), quantity = 1, customer_ref = "matrix-x" }, Access.OrdersWrite, Reach.ById),
        ["GetMyWaitlistEntries"] = new("GET", r => $"/v1/events/{r.EventId}/waitlist/me", null, Access.Customer, Reach.ById),
        ["LeaveWaitlist"] = new("DELETE", r => $"/v1/events/{r.EventId}/waitlist/me", null, Access.Customer, Reach.ById),
        ["ListResellers"] = new("GET", _ => "/v1/admin/resellers", null, Access.Operator, Reach.None, Tenant: false),
        ["SetResellerRules"] = new("PUT", r => $"/v1/admin/resellers/{r.Reseller}/rules", _ => new { }, Access.Operator, Reach.None, Tenant: false),
        ["OnboardReseller"] = new("POST", _ => "/v1/admin/resellers", _ => new { }, Access.Operator, Reach.None, Tenant: false),
        ["GetResellerProvisioning"] = new("GET", r => $"/v1/admin/resellers/{r.Reseller}/provisioning", null, Access.Operator, Reach.None, Tenant: false),
        ["OffboardReseller"] = new("DELETE", r => $"/v1/admin/resellers/{r.Reseller}", null, Access.Operator, Reach.None, Tenant: false),
        ["ListOperatorAudit"] = new("GET", _ => "/v1/admin/audit", null, Access.Operator, Reach.None, Tenant: false),
        ["ListResellerApplications"] = new("GET", _ => "/v1/admin/reseller-applications", null, Access.Operator, Reach.None, Tenant: false),
        ["ApproveResellerApplication"] = new("POST", _ => $"/v1/admin/reseller-applications/{Guid.Empty}/approve", null, Access.Operator, Reach.None, Tenant: false),
        ["RejectResellerApplication"] = new("POST", _ => $"/v1/admin/reseller-applications/{Guid.Empty}/reject", _ => new { reason = "matrix" }, Access.Operator, Reach.None, Tenant: false),
        // a prospective reseller's self-registration: anyone may send it (validated, a few per address an hour); the
        // matrix's empty body is refused 400 and stores nothing
        ["ApplyAsReseller"] = new("POST", _ => "/v1/reseller-applications", _ => new { }, Access.Public, Reach.None, Tenant: false),
        ["GetRules"] = new("GET", _ => "/v1/rules", null, Access.Public, Reach.None),
        ["GetStorefrontTheme"] = new("GET", _ => "/v1/storefront/theme", null, Access.Public, Reach.None),
        ["UpdateStorefrontTheme"] = new("PUT", _ => "/v1/storefront/theme", _ => new { name = "Matrix" }, Access.InventoryWrite, Reach.None),
        // the logo: 200 with one, 404 without (the reseller's choice)
        ["GetStorefrontLogo"] = new("GET", _ => "/v1/storefront/theme/logo", null, Access.Public, Reach.None),
        ["SetStorefrontLogo"] = new("PUT", _ => "/v1/storefront/theme/logo", _ => new { }, Access.InventoryWrite, Reach.None),
        ["RemoveStorefrontLogo"] = new("DELETE", _ => "/v1/storefront/theme/logo", null, Access.InventoryWrite, Reach.None),
        ["SetTicketPolicy"] = new("PUT", r => $"/v1/events/{r.EventId}/ticket-policy", _ => new { resale_allowed = true }, Access.InventoryWrite, Reach.ById),
        ["GetTicket"] = new("GET", r => $"/v1/tickets/{r.TicketId}", null, Access.OrdersRead, Reach.ById),
        ["GetTicketQr"] = new("GET", r => $"/v1/tickets/{r.TicketId}/qr", null, Access.OrdersRead, Reach.ById),
        ["GetTicketQrImage"] = new("GET", r => $"/v1/tickets/{r.TicketId}/qr.png", null, Access.OrdersRead, Reach.ById),
        ["GetTicketSigningKey"] = new("GET", r => $"/v1/events/{r.EventId}/signing-key", null, Access.Public, Reach.ById),
        ["GetScannerBundle"] = new("GET", r => $"/v1/events/{r.EventId}/scanner-bundle", null, Access.CheckIn, Reach.ById),
        ["CheckIn"] = new("POST", _ => "/v1/check-in", _ => new { qr = "TA1.e30.AAAA" }, Access.CheckIn, Reach.None),
        ["ListMyTickets"] = new("GET", _ => "/v1/me/tickets", null, Access.Customer, Reach.None),
        ["ListTicketForResale"] = new("POST", r => $"/v1/tickets/{r.TicketId}/resale", _ => new { asking_price_minor = 100 }, Access.OrdersWrite, Reach.ById),
        ["ListResaleListings"] = new("GET", r => $"/v1/events/{r.EventId}/resale", null, Access.Public, Reach.ById),
        ["GetResaleListing"] = new("GET", r => $"/v1/resale/{r.ListingId}", null, Access.OrdersRead, Reach.ById),
        ["WithdrawResaleListing"] = new("DELETE", r => $"/v1/resale/{r.ListingId}", null, Access.OrdersWrite, Reach.ById),
        ["StartTransfer"] = new("POST", r => $"/v1/tickets/{r.TicketId}/transfer", _ => new { to_email = "matrix@example.com" }, Access.OrdersWrite, Reach.ById),
        ["GetTransfer"] = new("GET", r => $"/v1/transfers/{r.TransferId}", null, Access.OrdersRead, Reach.ById),
        ["CancelTransfer"] = new("DELETE", r => $"/v1/transfers/{r.TransferId}", null, Access.OrdersWrite, Reach.ById),
        ["ClaimTransfer"] = new("POST", _ => "/v1/transfers/claim", _ => new { token = "matrix", customer_ref = "matrix-x" }, Access.OrdersWrite, Reach.None),
        ["HoldResaleListing"] = new("POST", r => $"/v1/resale/{r.ListingId}/hold", _ => new { customer_ref = "matrix-x" }, Access.OrdersWrite, Reach.ById),
        ["IssueDeviceId"] = new("POST", _ => "/v1/devices", _ => new { }, Access.Public, Reach.None),
        ["OpenSupportTicket"] = new("POST", _ => "/v1/support/tickets", _ => new { subject = "matrix", body = "matrix" }, Access.SupportTicketsWrite, Reach.None),
        ["ListSupportTickets"] = new("GET", _ => "/v1/support/tickets?status=open", null, Access.InventoryRead, Reach.ByQuery),
        ["GetSupportTicket"] = new("GET", r => $"/v1/support/tickets/{r.SupportTicketId}", null, Access.InventoryRead, Reach.ById),
        ["ReplyToSupportTicket"] = new("POST", r => $"/v1/support/tickets/{r.SupportTicketId}/messages", _ => new { body = "matrix" }, Access.SupportTicketsWrite, Reach.ById),
        ["ResendTickets"] = new("POST", r => $"/v1/orders/{r.OrderId}/resend-tickets", null, Access.Support, Reach.ById),
        ["UnblockAccount"] = new("DELETE", r => $"/v1/account-blocks/{Uri.EscapeDataString(r.CustomerRef)}", null, Access.Support, Reach.ById),
        ["GetResellersHealth"] = new("GET", _ => "/v1/admin/resellers/health", null, Access.Operator, Reach.None, Tenant: false),
        ["ChangeSupportTicketStatus"] = new("POST", r => $"/v1/support/tickets/{r.SupportTicketId}/status", _ => new { status = "closed" }, Access.SupportTicketsWrite, Reach.ById),
    };

    /// <summary>
    /// Writes anyone may send: a device id is signed, not stored, and each client address gets a few an hour
    /// (RateLimiting:DeviceIds); a reseller application is validated and limited to a few per address an hour.
    /// </summary>
    private static readonly HashSet<string> PublicWrites = ["IssueDeviceId", "ApplyAsReseller"];

    /// <summary>
    /// What a storefront's guest buyer (the guest grant: no account) may call, for themselves: checkout, their own orders,
    /// tickets, refunds and queue places. Everything else that wants a token refuses a guest (403).
    /// </summary>
    private static readonly HashSet<string> GuestEndpoints =
    [
        "CreateHold", "GetHold", "StartPayment", "ConfirmHold", "CancelHold", "JoinQueue", "GetMyQueueEntry", "StreamMyQueueEntry",
        "GetOrder", "ListMyOrders", "RefundMyOrder", "GetTicket", "GetTicketQr", "GetTicketQrImage", "ListMyTickets",
    ];

    [Fact]
    public async Task Every_endpoint_of_the_api_is_in_the_matrix_and_every_write_needs_a_token()
    {
        var endpoints = await ApiEndpoints.ListAsync(platform);
        var unnamed = endpoints.Where(e => e.Name is null).Select(e => $"{e.Method} {e.Pattern}").ToList();
        Assert.True(unnamed.Count == 0, $"endpoints without a name (WithName): {string.Join(", ", unnamed)}");
        var missing = endpoints.Where(e => !Matrix.ContainsKey(e.Name!)).Select(e => $"{e.Name} ({e.Method} {e.Pattern})").ToList();
        Assert.True(missing.Count == 0, $"endpoints missing from the access matrix: {string.Join(", ", missing)}");
        var stale = Matrix.Keys.Except(endpoints.Select(e => e.Name!)).ToList();
        Assert.True(stale.Count == 0, $"matrix rows without an endpoint: {string.Join(", ", stale)}");
        foreach (var e in endpoints)
        {
            Assert.Equal(Matrix[e.Name!].Method, e.Method);
            Assert.True(e.Method == "GET" || Matrix[e.Name!].Access != Access.Public || PublicWrites.Contains(e.Name!), $"{e.Name} writes without a token");
            Assert.True(e.HasPolicy == (Matrix[e.Name!].Access is not (Access.Public or Access.Signed)), $"{e.Name}: the endpoint's authorization and the matrix disagree");
        }
    }

    [Fact]
    public async Task Every_endpoint_refuses_whoever_it_must_refuse()
    {
        var acme = await ResourcesAsync("acme");
        var globex = await ResourcesAsync("globex");
        var acmeToken = await platform.IntegratorTokenAsync("eu", "acme");
        var readOnly = await platform.IntegratorTokenAsync("eu", "acme", "inventory:read");
        var operatorToken = await Tokens.ClientCredentialsAsync(platform, "eu", "platform", "eu-operator", PlatformFixture.StaffSecret("eu", "operator"), "operator");
        var supportToken = await Tokens.ClientCredentialsAsync(platform, "eu", "platform", "eu-support", PlatformFixture.StaffSecret("eu", "support"), "support");
        // an end user may write 30 times a minute, refusals included: the matrix signs in another before one runs out
        var endUsers = new List<Browser>();
        string? customer = null;
        var customerWrites = 0;
        async Task<string> EndUserAsync(string method)
        {
            if (customer is null || (method != "GET" && customerWrites >= 20))
            {
                var browser = new Browser(platform, "eu");
                endUsers.Add(browser);
                customer = (string)(await browser.SignInAsync("acme", $"matrix-{Guid.NewGuid():N}@example.com", "matrix-password-123", register: true))["access_token"]!;
                customerWrites = 0;
            }

            customerWrites += method == "GET" ? 0 : 1;
            return customer;
        }

        // a guest, likewise: a new one (a new guest token) before the write budget runs out
        using var identity = platform.IdentityClient("eu");
        string? guest = null;
        var guestWrites = 0;
        async Task<string> GuestAsync(string method)
        {
            if (guest is null || (method != "GET" && guestWrites >= 20))
            {
                guest = await GuestCheckoutTests.GuestTokenAsync(identity, "acme", $"matrix-{Guid.NewGuid():N}@example.com");
                guestWrites = 0;
            }

            guestWrites += method == "GET" ? 0 : 1;
            return guest;
        }

        var failures = new List<string>();
        async Task Expect(string name, string who, Resources target, string host, string? token, Func<HttpStatusCode, bool> ok, string expected)
        {
            var c = Matrix[name];
            using var response = await SendAsync(c, target, host, token);
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500 || !ok(response.StatusCode))
            {
                failures.Add($"{name} as {who} on {host} with {target.Reseller}'s resources: expected {expected}, got {(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}");
            }
        }

        const string acmeHost = "acme.eu.localhost", globexHost = "globex.eu.localhost";
        foreach (var (name, c) in Matrix)
        {
            if (c.Access == Access.Signed)
            {
                // proven by a signature, not a token: whoever calls without the PSP's signature is refused, tokens or not
                foreach (var (who, token) in new[] { ("anonymous", (string?)null), ("acme's integrator", acmeToken), ("support", supportToken), ("an end user", await EndUserAsync(c.Method)) })
                {
                    await Expect(name, who, acme, acmeHost, token, s => s == HttpStatusCode.Unauthorized, "401 (no PSP signature)");
                }

                continue;
            }

            var isProtected = c.Access != Access.Public;
            // nobody: public endpoints answer, the rest want a token
            await Expect(name, "anonymous", acme, acmeHost, null,
                s => isProtected ? s == HttpStatusCode.Unauthorized : s == HttpStatusCode.OK || (name == "ApplyAsReseller" && s == HttpStatusCode.BadRequest)
                    || (name == "GetStorefrontLogo" && s == HttpStatusCode.NotFound),
                isProtected ? "401" : "200");

            if (c.Tenant)
            {
                // by host: acme's token on globex's host
                await Expect(name, "acme's integrator", globex, globexHost, acmeToken, s => s == HttpStatusCode.Forbidden, "403 tenancy.mismatch");
            }

            // by id / by query: acme's token, acme's host, globex's resources
            if (c.Reach == Reach.ById && c.Access == Access.Customer)
            {
                // end-user self-service: an integrator has no business there at all
                await Expect(name, "acme's integrator", acme, acmeHost, acmeToken, s => s == HttpStatusCode.Forbidden, "403");
            }
            else if (c.Reach == Reach.ById && c.Access == Access.Support)
            {
                // support's own actions: no integrator at all; support on acme's host never reaches globex's order or account
                await Expect(name, "acme's integrator", acme, acmeHost, acmeToken, s => s == HttpStatusCode.Forbidden, "403");
                await Expect(name, "support", globex, acmeHost, supportToken, s => s == HttpStatusCode.NotFound, "404");
            }
            else if (c.Reach == Reach.ById)
            {
                await Expect(name, "acme's integrator", globex, acmeHost, acmeToken, s => s == HttpStatusCode.NotFound, "404");
                if (c.Method == "GET")
                {
                    await Expect(name, "acme's integrator (control)", acme, acmeHost, acmeToken, s => s == HttpStatusCode.OK, "200");
                }
            }
            else if (c.Reach == Reach.ByQuery)
            {
                using var response = await SendAsync(c, globex, acmeHost, acmeToken);
                var list = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
                var items = list.Select(p => p.Value).OfType<JsonArray>().Single();
                // nothing of globex's (its customer, its integrator's actions); acme's own refused attempts on globex's ids
                // are rightly in acme's audit log
                if (response.StatusCode != HttpStatusCode.OK || items.Any(i => i!.ToJsonString().Contains("globex", StringComparison.Ordinal)))
                {
                    failures.Add($"{name} by query for globex's resources through acme: expected 200 without globex's data, got {(int)response.StatusCode} {list}");
                }
            }

            if (isProtected)
            {
                // a token without the scope (reports are what inventory:read is for), an operator on reseller data, an
                // integrator on cell administration
                if (c.Access is Access.ReportsRead or Access.InventoryRead)
                {
                    await Expect(name, "acme's inventory:read token", acme, acmeHost, readOnly, s => s == HttpStatusCode.OK, "200");
                }
                else
                {
                    await Expect(name, "acme's inventory:read token", acme, acmeHost, readOnly, s => s == HttpStatusCode.Forbidden, "403");
                }

                if (c.Tenant)
                {
                    await Expect(name, "an operator", acme, acmeHost, operatorToken, s => s == HttpStatusCode.Forbidden, "403");
                }
                else
                {
                    await Expect(name, "acme's integrator", acme, acmeHost, acmeToken, s => s == HttpStatusCode.Forbidden, "403");
                    await Expect(name, "support", acme, acmeHost, supportToken, s => s == HttpStatusCode.Forbidden, "403");
                }

                // end users: refused where they have no business, and never reach another customer's holds, orders, queue places
                // and waitlist entries (holding, joining a queue or a waitlist for themselves is their business)
                if (c.Access is Access.InventoryWrite or Access.InventoryRead or Access.AuditRead or Access.ReportsRead or Access.WebhooksManage or Access.MailboxRead
                    or Access.WaitingRoomManage or Access.CheckIn or Access.SupportTicketsWrite or Access.Support or Access.Operator)
                {
                    await Expect(name, "an end user", acme, acmeHost, await EndUserAsync(c.Method), s => s == HttpStatusCode.Forbidden, "403");
                }
                else if (c.Reach == Reach.ById && name is not ("CreateHold" or "JoinQueue" or "JoinWaitlist" or "HoldResaleListing" or "RegisterForLottery" or "CreatePassPurchase"))
                {
                    await Expect(name, "an end user", acme, acmeHost, await EndUserAsync(c.Method), s => s == HttpStatusCode.NotFound, "404 (another customer's)");
                }
                else if (c.Reach == Reach.ByQuery)
                {
                    await Expect(name, "an end user", acme, acmeHost, await EndUserAsync(c.Method), s => s == HttpStatusCode.Forbidden, "403 (another customer's)");
                }

                // a guest: its checkout and what it bought, never another buyer's; nothing else at all
                if (!GuestEndpoints.Contains(name))
                {
                    await Expect(name, "a guest", acme, acmeHost, await GuestAsync(c.Method), s => s == HttpStatusCode.Forbidden, "403");
                }
                else if (c.Reach == Reach.ById && name is not ("CreateHold" or "JoinQueue"))
                {
                    await Expect(name, "a guest", acme, acmeHost, await GuestAsync(c.Method), s => s == HttpStatusCode.NotFound, "404 (another buyer's)");
                }

                // support is let through the reseller endpoints it serves (GETs only: no writes from the matrix)
                if (c.Method == "GET" && c.Access is Access.OrdersRead or Access.InventoryRead or Access.AuditRead or Access.ReportsRead or Access.WebhooksManage or Access.MailboxRead
                    or Access.WaitingRoomManage or Access.CheckIn)
                {
                    await Expect(name, "support", acme, acmeHost, supportToken, s => s == HttpStatusCode.OK, "200");
                }
            }
        }

        foreach (var browser in endUsers)
        {
            browser.Dispose();
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private async Task<HttpResponseMessage> SendAsync(Case c, Resources target, string host, string? token)
    {
        using var http = platform.ResellerClient("eu", host);
        using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Path(target));
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        if (c.Body is not null)
        {
            request.Content = JsonContent.Create(c.Body(target), options: PlatformFixture.Json);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            // a live stream never ends: its status and headers are the answer
            response.Content.Dispose();
            response.Content = new StringContent("");
            return response;
        }

        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>
    /// An event, a free seat, an active hold and an order of <paramref name="reseller"/>'s customer; a webhook endpoint
    /// (registered first, so the rest gives it deliveries) and the order confirmation e-mail.
    /// </summary>
    private async Task<Resources> ResourcesAsync(string reseller)
    {
        using var http = await platform.IntegratorClientAsync("eu", reseller);
        // nothing listens on the discard port: the deliveries fail and stay pending (retried)
        var endpoint = await http.PostJsonAsync("/v1/webhooks/endpoints", new { url = $"http://127.0.0.1:9/hooks/{reseller}", description = $"matrix {reseller}" }, HttpStatusCode.Created);
        var (created, seats) = await http.CreateReservedEventAsync($"Matrix {reseller} {Guid.NewGuid()}", 1, 6);
        var customerRef = $"matrix-{reseller}-{Guid.NewGuid():N}";
        var email = $"{customerRef}@example.com";
        var sold = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = customerRef, customer_email = email, seat_ids = seats.Take(1) }, HttpStatusCode.Created);
        var order = await http.PayAndConfirmAsync(sold.Id());
        // a second order whose ticket is listed for resale (at its face value: every cell allows that)
        var resold = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = customerRef, seat_ids = seats.Skip(2).Take(1) }, HttpStatusCode.Created);
        var resoldOrder = await http.PayAndConfirmAsync(resold.Id());
        var listing = await http.PostJsonAsync($"/v1/tickets/{resoldOrder["tickets"]![0]!.Id()}/resale", new { asking_price_minor = 100 }, HttpStatusCode.Created);
        var transfer = await http.PostJsonAsync($"/v1/tickets/{order["tickets"]![0]!.Id()}/transfer", new { to_email = $"friend-{email}" }, HttpStatusCode.Created);
        var hold = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = customerRef, seat_ids = seats.Skip(1).Take(1) }, HttpStatusCode.Created);
        // a waiting room on the event (after its holds: from now on holds need admission)
        using (var room = await http.PutAsJsonAsync($"/v1/events/{created.Id()}/waiting-room",
            new { on_sale_at = DateTimeOffset.UtcNow, admit_per_minute = 60, window_seconds = 600 }, PlatformFixture.Json))
        {
            Assert.Equal(HttpStatusCode.OK, room.StatusCode);
        }

        var ticket = await http.PostJsonAsync("/v1/support/tickets", new { subject = $"Matrix {reseller} {Guid.NewGuid()}", body = "matrix" }, HttpStatusCode.Created);
        // a group quote on seat 4 (seat 6 stays free for the matrix's holds)
        var quote = await http.PostJsonAsync($"/v1/events/{created.Id()}/group-quotes",
            new { organization = $"Matrix club {reseller}", contact_email = $"club-{email}", due_at = DateTimeOffset.UtcNow.AddDays(1), seat_ids = seats.Skip(3).Take(1) },
            HttpStatusCode.Created);
        var voucher = await http.PostJsonAsync($"/v1/events/{created.Id()}/vouchers",
            new { code = $"MATRIX-{reseller}-{Guid.NewGuid():N}"[..30], kind = "percentage", percent_off = 10 }, HttpStatusCode.Created);

        // a season pass over two events of its own, and the customer's purchase of seat A 1-1 in both
        var (first, _) = await http.CreateReservedEventAsync($"Matrix season {reseller} {Guid.NewGuid()}", 1, 6);
        var (second, _) = await http.CreateReservedEventAsync($"Matrix season {reseller} {Guid.NewGuid()}", 1, 6);
        var pass = await http.PostJsonAsync("/v1/passes", new { name = $"Matrix season {reseller}", kind = "season", event_ids = new[] { first.Id(), second.Id() }, price_minor = 9000 },
            HttpStatusCode.Created);
        var purchase = await http.PostJsonAsync($"/v1/passes/{pass.Id()}/purchases", new { customer_ref = customerRef, section = "A", row = "1", number = "1" },
            HttpStatusCode.Created);

        // a second event sold by lottery (registration open for a day), with the customer registered
        var lotteryEvent = await http.PostJsonAsync("/v1/events", Api.GaEvent($"Matrix lottery {reseller} {Guid.NewGuid()}", 10), HttpStatusCode.Created);
        using (var lottery = await http.PutAsJsonAsync($"/v1/events/{lotteryEvent.Id()}/lottery", new
        {
            registration_opens_at = DateTimeOffset.UtcNow.AddMinutes(-1), registration_closes_at = DateTimeOffset.UtcNow.AddDays(1), winners = 1, window_seconds = 600,
        }, PlatformFixture.Json))
        {
            Assert.Equal(HttpStatusCode.OK, lottery.StatusCode);
        }

        await http.PostJsonAsync($"/v1/events/{lotteryEvent.Id()}/lottery/entries", new { customer_ref = customerRef }, HttpStatusCode.OK);

        await using var db = await platform.OpenDatabaseAsync("eu", $"reseller_{reseller}");
        async Task<string> WaitForAsync(string sql, string what)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (true)
            {
                await using var cmd = new Npgsql.NpgsqlCommand(sql, db);
                cmd.Parameters.Add(new() { Value = Guid.Parse(endpoint.Id()) });
                cmd.Parameters.Add(new() { Value = Guid.Parse(order.Id()) });
                if (await cmd.ExecuteScalarAsync() is Guid id)
                {
                    return id.ToString();
                }

                Assert.True(DateTime.UtcNow < deadline, $"{reseller}: no {what} within 60 s");
                await Task.Delay(200);
            }
        }

        var delivery = await WaitForAsync("SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 AND $2::uuid IS NOT NULL LIMIT 1", "webhook delivery");
        var mail = await WaitForAsync("SELECT id FROM mailbox WHERE order_id = $2 AND $1::uuid IS NOT NULL", "order confirmation e-mail");
        return new Resources(reseller, created.Id(), seats[5], hold.Id(), order.Id(), customerRef, endpoint.Id(), delivery, mail, email,
            order["tickets"]![0]!.Id(), listing.Id(), transfer.Id(), lotteryEvent.Id(), voucher.Id(), ticket.Id(), quote.Id(),
            pass.Id(), purchase.Id());
    }
}
