using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Npgsql;
using TicketAspire.Inventory.CheckIn;

namespace TicketAspire.Webhooks.Mail;

/// <summary>
/// Renders the end-user e-mails from a mail job and the reseller's orders, events and tickets. With the reseller's
/// <paramref name="signing"/> key, an order confirmation carries each ticket's signed QR code (payload and image).
/// </summary>
public sealed class MailRenderer(NpgsqlDataSource db, (TicketSigner Signer, string Reseller)? signing = null)
{
    /// <summary>A rendered e-mail's subject and bodies.</summary>
    public sealed record Rendered(string Subject, string TextBody, string HtmlBody);

    private sealed record OrderInfo(string EventName, DateTimeOffset StartsAt, long TotalMinor, string Currency);

    private sealed record TicketLine(Guid Id, Guid EventId, string Code, string ClassName, string? Section, string? Row, string? Number);

    /// <summary>Renders a job of <paramref name="kind"/> (<see cref="MailKinds"/>).</summary>
    public async Task<Rendered> RenderAsync(string kind, Guid? orderId, string payload, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(payload);
        var data = doc.RootElement;
        var order = orderId is { } id ? await OrderAsync(id, ct) : null;
        var reference = orderId is { } o ? o.ToString()[..8].ToUpperInvariant() : "";
        var text = new StringBuilder();
        var html = new StringBuilder();
        string subject;
        switch (kind)
        {
            case MailKinds.OrderConfirmation:
                var tickets = orderId is { } tid ? await TicketsAsync(tid, ct) : [];
                subject = order is null ? "Your order is confirmed" : $"Your tickets for {order.EventName}";
                text.AppendLine(CultureInfo.InvariantCulture, $"Thank you for your order {reference}.");
                if (order is not null)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"{order.EventName}, {order.StartsAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC");
                    text.AppendLine(CultureInfo.InvariantCulture, $"Total: {Amount(order.TotalMinor, order.Currency)}");
                }

                text.AppendLine().AppendLine("Your tickets:");
                foreach (var t in tickets)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  {t.Code}  {Place(t)}");
                    if (Qr(t) is { } qr)
                    {
                        text.AppendLine(CultureInfo.InvariantCulture, $"  QR: {qr}");
                    }
                }

                html.Append(CultureInfo.InvariantCulture, $"<p>Thank you for your order {E(reference)}.</p>");
                if (order is not null)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<p><strong>{E(order.EventName)}</strong>, {order.StartsAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC<br>Total: {E(Amount(order.TotalMinor, order.Currency))}</p>");
                }

                html.Append("<table><tr><th>Ticket</th><th>Place</th><th>Show at the gate</th></tr>");
                foreach (var t in tickets)
                {
                    var image = Qr(t) is { } qr
                        ? $"<img alt=\"QR code of ticket {E(t.Code)}\" width=\"220\" height=\"220\" src=\"data:image/png;base64,{Convert.ToBase64String(TicketQrImage.Png(qr, 4))}\">"
                        : "";
                    html.Append(CultureInfo.InvariantCulture, $"<tr><td><code>{E(t.Code)}</code></td><td>{E(Place(t))}</td><td>{image}</td></tr>");
                }

                html.Append("</table>");
                break;

            case MailKinds.RefundProcessed:
                var amount = data.TryGetProperty("amount", out var a) ? AmountOf(a, order?.Currency) : null;
                subject = order is null ? "Your refund has been processed" : $"Refund for {order.EventName}";
                text.AppendLine(CultureInfo.InvariantCulture, $"Your refund for order {reference} has been processed{(amount is null ? "" : $": {amount}")}.");
                if (data.TryGetProperty("seat_disposition", out var disposition) && disposition.ValueKind == JsonValueKind.String)
                {
                    text.AppendLine(disposition.GetString() == "voided" ? "Your tickets are no longer valid." : "Your tickets are no longer valid and the seats were released.");
                }

                html.Append(CultureInfo.InvariantCulture, $"<p>Your refund for order {E(reference)} has been processed{(amount is null ? "" : $": <strong>{E(amount)}</strong>")}.</p>");
                break;

            case MailKinds.FraudHold:
                subject = "Your order is being reviewed";
                text.AppendLine(CultureInfo.InvariantCulture, $"Your order {reference}{(order is null ? "" : $" for {order.EventName}")} is on hold while we review the payment.");
                text.AppendLine("We will write to you again once the review is finished; there is nothing you need to do now.");
                html.Append(CultureInfo.InvariantCulture, $"<p>Your order {E(reference)}{(order is null ? "" : $" for <strong>{E(order.EventName)}</strong>")} is on hold while we review the payment.</p>");
                html.Append("<p>We will write to you again once the review is finished; there is nothing you need to do now.</p>");
                break;

            case MailKinds.LotteryResult:
                var lotteryEvent = data.TryGetProperty("event_id", out var le) && le.ValueKind == JsonValueKind.String && le.TryGetGuid(out var lotteryEventId) ? await EventNameAsync(lotteryEventId, ct) : null;
                var won = data.TryGetProperty("won", out var w) && w.ValueKind == JsonValueKind.True;
                var until = data.TryGetProperty("window_ends_at", out var u) && u.ValueKind == JsonValueKind.String && u.TryGetDateTimeOffset(out var untilAt) ? untilAt : (DateTimeOffset?)null;
                var what = lotteryEvent is null ? "the lottery" : $"the lottery for {lotteryEvent}";
                subject = won ? $"You won {what}" : $"The result of {what}";
                var line = won
                    ? $"You won {what}: you may buy tickets{(until is { } u1 ? $" until {u1.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : "")}. Sign in and go to the event to buy them."
                    : $"Thank you for registering for {what}. You were not drawn this time; no tickets were reserved for you and nothing was charged.";
                text.AppendLine(line);
                html.Append(CultureInfo.InvariantCulture, $"<p>{E(line)}</p>");
                break;

            case MailKinds.TransferOffer:
                var claim = data.TryGetProperty("private", out var secret) && secret.TryGetProperty("claim_token", out var claimToken) ? claimToken.GetString() ?? "" : "";
                var eventName = data.TryGetProperty("event_id", out var ev) && ev.TryGetGuid(out var eventId) ? await EventNameAsync(eventId, ct) : null;
                var expires = data.TryGetProperty("expires_at", out var x) && x.TryGetDateTimeOffset(out var at) ? at : (DateTimeOffset?)null;
                var note = data.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                subject = eventName is null ? "A ticket was sent to you" : $"A ticket for {eventName} was sent to you";
                text.AppendLine(CultureInfo.InvariantCulture, $"A ticket{(eventName is null ? "" : $" for {eventName}")} was sent to you.");
                if (note is not null)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"Their message: {note}");
                }

                text.AppendLine(CultureInfo.InvariantCulture, $"Claim it{(expires is { } e1 ? $" before {e1.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : "")} with this claim code (it works once):");
                text.AppendLine(CultureInfo.InvariantCulture, $"  {claim}");
                text.AppendLine("Signed in to your account, claim it at /v1/transfers/claim; the ticket is then issued to you with a new code.");
                html.Append(CultureInfo.InvariantCulture, $"<p>A ticket{(eventName is null ? "" : $" for <strong>{E(eventName)}</strong>")} was sent to you.</p>");
                if (note is not null)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<p>Their message: {E(note)}</p>");
                }

                html.Append(CultureInfo.InvariantCulture, $"<p>Claim it{(expires is { } e2 ? $" before {e2.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : "")} with this claim code (it works once):<br><code>{E(claim)}</code></p>");
                break;

            case MailKinds.EventChanged:
                var changedName = order?.EventName ?? (data.TryGetProperty("event_id", out var changedEvent) && changedEvent.TryGetGuid(out var changedId)
                    ? await EventNameAsync(changedId, ct) : null) ?? "your event";
                subject = $"Change to {changedName}";
                text.AppendLine(CultureInfo.InvariantCulture, $"The organizer changed {changedName} (your order {reference}):");
                html.Append(CultureInfo.InvariantCulture, $"<p>The organizer changed <strong>{E(changedName)}</strong> (your order {E(reference)}):</p><ul>");
                foreach (var (field, was, now) in Changes(data))
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"  {field}: {was} → {now}");
                    html.Append(CultureInfo.InvariantCulture, $"<li>{E(field)}: {E(was)} → <strong>{E(now)}</strong></li>");
                }

                text.AppendLine("Your tickets stay valid.");
                html.Append("</ul><p>Your tickets stay valid.</p>");
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown mail kind");
        }

        return new Rendered(subject, text.ToString(), html.ToString());
    }

    /// <summary>The changed fields of an <c>order.event_changed</c> payload, each with its value before and after, readable.</summary>
    private static IEnumerable<(string Field, string Before, string After)> Changes(JsonElement data)
    {
        if (!data.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var field in fields.EnumerateArray().Select(f => f.GetString()).OfType<string>())
        {
            yield return (field switch { "starts_at" => "Starts", "description" => "Description", _ => field },
                Readable(data, "before", field), Readable(data, "after", field));
        }
    }

    private static string Readable(JsonElement data, string side, string field)
    {
        if (!data.TryGetProperty(side, out var values) || !values.TryGetProperty(field, out var value))
        {
            return "";
        }

        return value.ValueKind switch
        {
            JsonValueKind.String when field == "starts_at" && value.TryGetDateTimeOffset(out var at) => $"{at.UtcDateTime:yyyy-MM-dd HH:mm} UTC",
            JsonValueKind.String => value.GetString() ?? "",
            JsonValueKind.Null => "(none)",
            _ => value.GetRawText(),
        };
    }

    private async Task<OrderInfo?> OrderAsync(Guid orderId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT e.name, e.starts_at, o.total_minor, o.currency FROM orders o JOIN events e ON e.id = o.event_id WHERE o.id = $1
            """);
        cmd.Parameters.Add(new() { Value = orderId });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new OrderInfo(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt64(2), reader.GetString(3))
            : null;
    }

    private async Task<string?> EventNameAsync(Guid eventId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT name FROM events WHERE id = $1");
        cmd.Parameters.Add(new() { Value = eventId });
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    private async Task<List<TicketLine>> TicketsAsync(Guid orderId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT t.id, t.event_id, t.code, c.name, s.section, s.row_label, s.number
            FROM tickets t JOIN seats s ON s.id = t.seat_id JOIN ticket_classes c ON c.id = t.class_id
            WHERE t.order_id = $1 AND t.status = 'valid'
            ORDER BY s.ordinal
            """);
        cmd.Parameters.Add(new() { Value = orderId });
        var list = new List<TicketLine>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            list.Add(new TicketLine(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), Text(4), Text(5), Text(6)));
        }

        return list;
    }

    private string? Qr(TicketLine t) => signing is { } s
        ? s.Signer.Sign(s.Reseller, new TicketQrClaims(t.Id, t.EventId, t.Code, Place(t)))
        : null;

    private static string Place(TicketLine t) => t.Section is null && t.Row is null && t.Number is null
        ? $"{t.ClassName} (general admission)"
        : $"{t.ClassName}, section {t.Section}, row {t.Row}, seat {t.Number}";

    private static string Amount(long minor, string currency) =>
        string.Create(CultureInfo.InvariantCulture, $"{minor / 100m:0.00} {currency.Trim()}");

    /// <summary>An amount as producers may write it: minor units, or an object with minor units and currency.</summary>
    private static string? AmountOf(JsonElement a, string? currency)
    {
        if (a.ValueKind == JsonValueKind.Number && a.TryGetInt64(out var minor) && currency is not null)
        {
            return Amount(minor, currency);
        }

        if (a.ValueKind == JsonValueKind.Object)
        {
            long? units = null;
            foreach (var name in (string[])["minor_units", "minor", "amount_minor", "value"])
            {
                if (a.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var m))
                {
                    units = m;
                    break;
                }
            }

            var cur = a.TryGetProperty("currency", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : currency;
            return units is { } u && cur is not null ? Amount(u, cur) : null;
        }

        return null;
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
