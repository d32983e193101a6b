using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Webhooks through the running platform: the outbox written by the API, dispatched and delivered by the cell's worker to
/// a receiver the test runs, signed so that the StandardWebhooks package verifies them; and nothing lost when the worker
/// is down between the outbox write and the delivery.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class WebhookEndToEndTests(PlatformFixture platform)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static async Task<JsonObject> RegisterAsync(HttpClient http, string url, params string[] eventTypes) =>
        await http.PostJsonAsync("/v1/webhooks/endpoints", new { url, description = "end-to-end", event_types = eventTypes }, HttpStatusCode.Created);

    [Fact]
    public async Task Webhook_deliveries_arrive_signed_retried_after_failures_and_the_confirmation_email_lands_in_the_mailbox()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = n => n <= 2 ? 503 : 200;       // the first two calls fail: retried on the test's 1 s schedule
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        var endpoint = await RegisterAsync(http, receiver.Url, "event.created", "hold.created", "order.confirmed");
        var secret = (string)endpoint["secret"]!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        try
        {
            var (created, seats) = await http.CreateReservedEventAsync($"Webhooks {Guid.NewGuid()}", 1, 2);
            var email = $"webhooks-{Guid.NewGuid():N}@example.com";
            var hold = await http.PostJsonAsync("/v1/holds", new { event_id = created.Id(), customer_ref = "wh-e2e", customer_email = email, seat_ids = seats.Take(2) }, HttpStatusCode.Created);
            var order = await http.PayAndConfirmAsync(hold.Id());

            bool Got(IReadOnlyList<WebhookReceiver.Received> r, string type, string field, string id) =>
                r.Any(x => x.Status == 200 && (string?)x.Json["type"] == type && (string?)x.Json["data"]![field] == id);
            await receiver.WaitAsync(r => Got(r, "event.created", "event_id", created.Id()) && Got(r, "hold.created", "hold_id", hold.Id())
                && Got(r, "order.confirmed", "order_id", order.Id()), Timeout, "event.created, hold.created and order.confirmed");

            var received = receiver.Requests.ToList();
            Assert.True(received.Count(r => r.Status == 503) == 2, "the two failed calls were made");
            foreach (var r in received)
            {
                new StandardWebhook(secret).Verify(r.Body, r.Headers);
            }

            // a failed call is retried with the same webhook-id and body
            var retried = received.Where(r => r.Status == 503).Select(r => r.Id).ToList();
            Assert.All(retried, id => Assert.Contains(received, r => r.Id == id && r.Status == 200));
            Assert.All(received.GroupBy(r => r.Id), g => Assert.Single(g.Select(r => r.Body).Distinct()));

            var deliveries = await http.GetJsonAsync($"/v1/webhooks/endpoints/{endpoint.Id()}/deliveries?status=delivered&size=100");
            Assert.Superset(received.Select(r => r.Id).ToHashSet(), deliveries["items"]!.AsArray().Select(d => (string)d!["message_id"]!).ToHashSet());
            Assert.Contains(deliveries["items"]!.AsArray(), d => (int)d!["attempts"]! > 1);
            var messages = await http.GetJsonAsync("/v1/webhooks/messages?event_type=hold.created&size=100");
            Assert.Contains(messages["items"]!.AsArray(), m => (string?)m!["data"]!["hold_id"] == hold.Id());

            // the end user's order confirmation, with every ticket code
            JsonArray mails = [];
            var deadline = DateTime.UtcNow + Timeout;
            while (mails.Count == 0 && DateTime.UtcNow < deadline)
            {
                mails = (await http.GetJsonAsync($"/v1/mailbox?to={Uri.EscapeDataString(email)}"))["mails"]!.AsArray();
                await Task.Delay(mails.Count == 0 ? 200 : 0);
            }

            var mail = await http.GetJsonAsync($"/v1/mailbox/{Assert.Single(mails).Id()}");
            Assert.Equal("order_confirmation", (string)mail["kind"]!);
            Assert.Contains(created["name"]!.ToString(), (string)mail["subject"]!, StringComparison.Ordinal);
            Assert.All(order["tickets"]!.AsArray(), t => Assert.Contains((string)t!["code"]!, (string)mail["text_body"]!, StringComparison.Ordinal));
        }
        finally
        {
            using var delete = await http.DeleteAsync($"/v1/webhooks/endpoints/{endpoint.Id()}");
        }
    }

    [Fact]
    public async Task Registering_more_endpoints_than_a_reseller_may_have_is_refused_with_409()
    {
        using var http = await platform.IntegratorClientAsync("eu", "globex");
        var existing = (await http.GetJsonAsync("/v1/webhooks/endpoints"))["endpoints"]!.AsArray().Count;
        var created = new List<string>();
        try
        {
            for (var i = existing; i < 20; i++)
            {
                created.Add((await RegisterAsync(http, $"http://127.0.0.1:9/limit-{i}", "payout.scheduled")).Id());
            }

            using var refused = await http.PostAsJsonAsync("/v1/webhooks/endpoints", new { url = "http://127.0.0.1:9/one-too-many" }, PlatformFixture.Json);
            var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal(("webhook.endpoint_limit_reached", 20), ((string)problem["code"]!, (int)problem["limit"]!));
        }
        finally
        {
            foreach (var id in created)
            {
                using var delete = await http.DeleteAsync($"/v1/webhooks/endpoints/{id}");
            }
        }
    }

    [Fact]
    public async Task Registering_refuses_unknown_event_types_and_answers_the_secret_rotation()
    {
        using var http = await platform.IntegratorClientAsync("eu", "acme");
        using var bad = await http.PostAsJsonAsync("/v1/webhooks/endpoints", new { url = "https://hooks.example.com/x", event_types = new[] { "order.teleported" } }, PlatformFixture.Json);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("order.teleported", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var refused = await http.PostAsJsonAsync("/v1/webhooks/endpoints", new { url = "ftp://hooks.example.com/x" }, PlatformFixture.Json);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("webhook.url_refused", (string)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["code"]!);

        var endpoint = await RegisterAsync(http, "http://127.0.0.1:9/rotation");
        var rotated = await http.PostJsonAsync($"/v1/webhooks/endpoints/{endpoint.Id()}/secret/rotate", new { }, HttpStatusCode.OK);
        Assert.NotEqual((string)endpoint["secret"]!, (string)rotated["secret"]!);
        Assert.NotNull(rotated["previous_expires_at"]);
        using var patch = await http.PatchAsJsonAsync($"/v1/webhooks/endpoints/{endpoint.Id()}", new { enabled = false }, PlatformFixture.Json);
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var stored = await http.GetJsonAsync($"/v1/webhooks/endpoints/{endpoint.Id()}");
        Assert.False((bool)stored["enabled"]!);
        Assert.Null(stored["secret"]);
        using var delete = await http.DeleteAsync($"/v1/webhooks/endpoints/{endpoint.Id()}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
    }

    [Fact]
    public async Task Webhook_nothing_is_lost_when_the_worker_is_killed_between_the_outbox_write_and_the_delivery()
    {
        const string Worker = "eu-worker";
        const int Events = 6;
        await using var receiver = await WebhookReceiver.StartAsync();
        using var http = await platform.IntegratorClientAsync("eu", "globex");
        var endpoint = await RegisterAsync(http, receiver.Url, "event.created");
        var commands = platform.App.Services.GetRequiredService<ResourceCommandService>();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ids = new List<string>();
        try
        {
            var logs = new System.Collections.Concurrent.ConcurrentQueue<string>();
            _ = Task.Run(async () =>
            {
                await foreach (var batch in platform.App.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(Worker).WithCancellation(cts.Token))
                {
                    foreach (var line in batch)
                    {
                        logs.Enqueue(line.Content);
                    }
                }
            }, cts.Token);
            // killed, not stopped: no graceful shutdown, whatever the worker was doing is cut off
            Assert.True(platform.App.ResourceNotifications.TryGetCurrentState(Worker, out var running), $"{Worker} unknown");
            var pid = Convert.ToInt32(running.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value, System.Globalization.CultureInfo.InvariantCulture);
            using (var process = System.Diagnostics.Process.GetProcessById(pid))
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(cts.Token);
            }

            try
            {
                using var stopped = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
                stopped.CancelAfter(TimeSpan.FromSeconds(60));
                await platform.App.ResourceNotifications.WaitForResourceAsync(Worker, KnownResourceStates.TerminalStates, stopped.Token);
                for (var i = 0; i < Events; i++)
                {
                    ids.Add((await http.CreateReservedEventAsync($"Worker down {i} {Guid.NewGuid()}", 1, 1)).Event.Id());
                }

                await Task.Delay(TimeSpan.FromSeconds(3), cts.Token);
                Assert.DoesNotContain(receiver.Requests, r => ids.Contains((string?)r.Json["data"]!["event_id"] ?? ""));
                await using var db = await platform.OpenDatabaseAsync("eu", "reseller_globex");
                await using var pending = new Npgsql.NpgsqlCommand(
                    "SELECT count(*) FROM outbox WHERE topic = 'event.created' AND processed_at IS NULL AND aggregate_id = ANY ($1)", db);
                pending.Parameters.Add(new() { Value = ids.Select(Guid.Parse).ToArray() });
                Assert.Equal((long)Events, (long)(await pending.ExecuteScalarAsync())!);
            }
            catch (OperationCanceledException) when (!cts.IsCancellationRequested)
            {
                var state = platform.App.ResourceNotifications.TryGetCurrentState(Worker, out var e) ? e.Snapshot.State?.Text : "?";
                Assert.Fail($"{Worker} was not seen stopped within 60 s (killed process {pid}; state {state}); log tail:\n{string.Join("\n", logs.TakeLast(40))}");
            }
            finally
            {
                var start = await commands.ExecuteCommandAsync(Worker, KnownResourceCommands.StartCommand, CancellationToken.None);
                Assert.True(start.Success, start.Message);
            }

            await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(Worker, cts.Token);
            await receiver.WaitAsync(r => ids.All(id => r.Any(x => (string?)x.Json["data"]!["event_id"] == id)), Timeout, $"all {Events} event.created");

            // every message arrived; a message arriving twice (at least once) carries the same webhook-id both times
            var ours = receiver.Requests.Where(r => ids.Contains((string?)r.Json["data"]!["event_id"] ?? "")).ToList();
            Assert.Equal(Events, ours.Select(r => r.Id).Distinct().Count());
            Assert.All(ours.GroupBy(r => (string)r.Json["data"]!["event_id"]!), g => Assert.Single(g.Select(r => r.Id).Distinct()));
            Assert.All(ours, r => new StandardWebhook((string)endpoint["secret"]!).Verify(r.Body, r.Headers));
        }
        finally
        {
            using var delete = await http.DeleteAsync($"/v1/webhooks/endpoints/{endpoint.Id()}");
        }
    }
}
