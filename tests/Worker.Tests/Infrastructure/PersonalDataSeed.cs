using Npgsql;
using TicketAspire.Inventory.Infrastructure;

namespace TicketAspire.Worker.Tests.Infrastructure;

/// <summary>
/// One reseller database's worth of personal data, old and recent: Ann's account has been dormant for 800 days and her
/// order is for a show 900 days ago; Bob signed in yesterday and bought for a show 10 days ago. Each has holds, an
/// order with a ticket, e-mails (mailbox and mail jobs), outbox rows and webhook messages naming them, audit rows
/// with their address, a waitlist entry, a withdrawn resale listing and a transfer of their ticket (Ann's expired long
/// ago, Bob's pending); Ann also has an old account block and a session (an OpenIddict token).
/// </summary>
public sealed class PersonalDataSeed
{
    public Guid Ann { get; } = Guid.NewGuid();

    public Guid Bob { get; } = Guid.NewGuid();

    public Guid OldOrder { get; } = Guid.NewGuid();

    public Guid RecentOrder { get; } = Guid.NewGuid();

    public Guid OldTicket { get; } = Guid.NewGuid();

    public Guid RecentTicket { get; } = Guid.NewGuid();

    /// <summary>Bob's recent ticket's listing, withdrawn.</summary>
    public Guid RecentListing { get; } = Guid.NewGuid();

    public string AnnRef => "user:" + Ann;

    public string BobRef => "user:" + Bob;

    /// <summary>Applies the identity scripts (users, sessions) to <paramref name="db"/> and writes the data.</summary>
    public async Task WriteAsync(NpgsqlDataSource db)
    {
        ArgumentNullException.ThrowIfNull(db);
        await SqlMigrator.MigrateAsync(db, SqlMigrator.Load(typeof(PersonalDataSeed).Assembly), CancellationToken.None);
        var (venue, oldEvent, recentEvent, oldClass, recentClass) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (oldSeat, recentSeat, oldHold, recentHold, lapsedHold) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        string Ago(int days) => $"now() - interval '{days} days'";
        var sql = $"""
            INSERT INTO users (id, email, email_normalized, display_name, password_hash, created_at, last_login_at) VALUES
                ('{Ann}', 'Ann@example.com', 'ann@example.com', 'Ann Example', 'x', {Ago(1000)}, {Ago(800)}),
                ('{Bob}', 'bob@example.com', 'bob@example.com', 'Bob Example', 'x', {Ago(1000)}, {Ago(1)});
            INSERT INTO "OpenIddictTokens" ("Id", "Subject", "Type") VALUES ('{Guid.NewGuid()}', '{Ann}', 'refresh_token');
            INSERT INTO login_throttle (email_normalized, failures, updated_at) VALUES ('someone@example.com', 2, {Ago(800)});
            INSERT INTO venues (id, name, city, created_at) VALUES ('{venue}', 'Hall', 'Lyon', {Ago(1000)});
            INSERT INTO events (id, venue_id, name, type, starts_at, seating, currency, created_at) VALUES
                ('{oldEvent}', '{venue}', 'Old show', 'concert', {Ago(900)}, 0, 'EUR', {Ago(1000)}),
                ('{recentEvent}', '{venue}', 'Recent show', 'concert', {Ago(10)}, 0, 'EUR', {Ago(100)});
            INSERT INTO ticket_classes (id, event_id, name, price_minor, currency, capacity) VALUES
                ('{oldClass}', '{oldEvent}', 'A', 5000, 'EUR', 10), ('{recentClass}', '{recentEvent}', 'A', 7000, 'EUR', 10);
            INSERT INTO seats (id, event_id, class_id, ordinal, section, row_label, number, price_minor, status, hold_id) VALUES
                ('{oldSeat}', '{oldEvent}', '{oldClass}', 1, 'A', '1', '1', 5000, 2, '{oldHold}'),
                ('{recentSeat}', '{recentEvent}', '{recentClass}', 1, 'A', '1', '1', 7000, 2, '{recentHold}');
            INSERT INTO holds (id, event_id, customer_ref, customer_email, status, expires_at, total_minor, currency, created_at, closed_at, order_id) VALUES
                ('{oldHold}', '{oldEvent}', '{AnnRef}', 'Ann@example.com', 1, {Ago(949)}, 5000, 'EUR', {Ago(950)}, {Ago(950)}, '{OldOrder}'),
                ('{lapsedHold}', '{oldEvent}', 'guest-7', 'guest@example.com', 3, {Ago(949)}, 5000, 'EUR', {Ago(950)}, {Ago(949)}, NULL),
                ('{recentHold}', '{recentEvent}', '{BobRef}', 'bob@example.com', 1, {Ago(19)}, 7000, 'EUR', {Ago(20)}, {Ago(20)}, '{RecentOrder}');
            INSERT INTO orders (id, hold_id, event_id, customer_ref, customer_email, status, total_minor, currency, payment_reference, created_at,
                                subtotal_minor, platform_fee_minor, processing_fee_minor, tax_minor) VALUES
                ('{OldOrder}', '{oldHold}', '{oldEvent}', '{AnnRef}', 'Ann@example.com', 'refunded', 5000, 'EUR', 'pi_old', {Ago(950)}, 4000, 500, 100, 400),
                ('{RecentOrder}', '{recentHold}', '{recentEvent}', '{BobRef}', 'bob@example.com', 'confirmed', 7000, 'EUR', 'pi_recent', {Ago(20)}, 6000, 500, 100, 400);
            INSERT INTO tickets (id, order_id, event_id, seat_id, class_id, price_minor, currency, code, status, issued_at) VALUES
                ('{OldTicket}', '{OldOrder}', '{oldEvent}', '{oldSeat}', '{oldClass}', 5000, 'EUR', 'CODE-OLD-{OldTicket:N}', 'void', {Ago(950)}),
                ('{RecentTicket}', '{RecentOrder}', '{recentEvent}', '{recentSeat}', '{recentClass}', 7000, 'EUR', 'CODE-NEW-{Guid.NewGuid():N}', 'valid', {Ago(20)});
            INSERT INTO resale_listings (id, ticket_id, event_id, seat_id, class_id, seller_ref, face_minor, asking_minor, cap_percent, currency, status, created_at, closed_at) VALUES
                ('{Guid.NewGuid()}', '{OldTicket}', '{oldEvent}', '{oldSeat}', '{oldClass}', '{AnnRef}', 5000, 5000, 100, 'EUR', 'withdrawn', {Ago(948)}, {Ago(947)}),
                ('{RecentListing}', '{RecentTicket}', '{recentEvent}', '{recentSeat}', '{recentClass}', '{BobRef}', 7000, 7000, 100, 'EUR', 'withdrawn', {Ago(15)}, {Ago(14)});
            INSERT INTO ticket_transfers (id, ticket_id, event_id, from_ref, to_email, message, token_hash, status, expires_at, created_at, closed_at) VALUES
                ('{Guid.NewGuid()}', '{OldTicket}', '{oldEvent}', '{AnnRef}', 'friend@example.com', 'for you, Ann', sha256('{Guid.NewGuid()}'::bytea), 'expired', {Ago(939)}, {Ago(946)}, {Ago(939)}),
                ('{Guid.NewGuid()}', '{RecentTicket}', '{recentEvent}', '{BobRef}', 'carl@example.com', 'enjoy, Bob', sha256('{Guid.NewGuid()}'::bytea), 'pending', now() + interval '5 days', {Ago(2)}, NULL);
            INSERT INTO refunds (id, order_id, amount_minor, currency, reason, initiated_by, seat_disposition, status, created_at, completed_at) VALUES
                ('{Guid.NewGuid()}', '{OldOrder}', 5000, 'EUR', 'my aunt Ann is ill', '{AnnRef}', 'voided', 'succeeded', {Ago(940)}, {Ago(940)});
            INSERT INTO waitlist_entries (id, event_id, class_id, customer_ref, customer_email, quantity, joined_at, status, closed_at) VALUES
                ('{Guid.NewGuid()}', '{oldEvent}', '{oldClass}', '{AnnRef}', 'Ann@example.com', 1, {Ago(960)}, 'left', {Ago(955)}),
                ('{Guid.NewGuid()}', '{recentEvent}', '{recentClass}', '{BobRef}', 'bob@example.com', 1, {Ago(30)}, 'waiting', NULL);
            INSERT INTO account_blocks (customer_ref, reason, blocked_at, blocked_until) VALUES ('{AnnRef}', 'holds_without_purchase', {Ago(801)}, {Ago(800)});
            INSERT INTO outbox (topic, aggregate_id, event_id, payload, created_at, processed_at) VALUES
                ('order.confirmed', '{OldOrder}', '{oldEvent}', jsonb_build_object('order_id', '{OldOrder}', 'customer_ref', '{AnnRef}', 'customer_email', 'Ann@example.com', 'total_minor', 5000), {Ago(950)}, {Ago(950)}),
                ('order.confirmed', '{RecentOrder}', '{recentEvent}', jsonb_build_object('order_id', '{RecentOrder}', 'customer_ref', '{BobRef}', 'customer_email', 'bob@example.com', 'total_minor', 7000), {Ago(20)}, {Ago(20)});
            INSERT INTO webhook_messages (id, outbox_id, event_type, payload, created_at) VALUES
                ('msg_old_{Ann:N}', 1, 'order.confirmed', jsonb_build_object('order_id', '{OldOrder}', 'customer_email', 'Ann@example.com'), {Ago(950)}),
                ('msg_new_{Bob:N}', 2, 'order.confirmed', jsonb_build_object('order_id', '{RecentOrder}', 'customer_email', 'bob@example.com'), {Ago(20)});
            INSERT INTO mail_jobs (id, outbox_id, kind, to_address, order_id, payload, status, next_attempt_at, created_at, sent_at) VALUES
                ('{Guid.NewGuid()}', 1, 'order_confirmation', 'Ann@example.com', '{OldOrder}', jsonb_build_object(), 'sent', {Ago(950)}, {Ago(950)}, {Ago(950)}),
                ('{Guid.NewGuid()}', 2, 'order_confirmation', 'bob@example.com', '{RecentOrder}', jsonb_build_object(), 'sent', {Ago(20)}, {Ago(20)}, {Ago(20)});
            INSERT INTO mailbox (id, mail_job_id, kind, from_address, to_address, subject, text_body, order_id, created_at)
                SELECT gen_random_uuid(), gen_random_uuid(), 'order_confirmation', 'shop@example.com', 'Ann@example.com', 'Your order', 'Dear Ann Example', '{OldOrder}', now() - make_interval(days => 940 + i)
                FROM generate_series(1, 3) i;
            INSERT INTO mailbox (id, mail_job_id, kind, from_address, to_address, subject, text_body, order_id, created_at) VALUES
                ('{Guid.NewGuid()}', '{Guid.NewGuid()}', 'order_confirmation', 'shop@example.com', 'bob@example.com', 'Your order', 'Dear Bob Example', '{RecentOrder}', {Ago(20)});
            INSERT INTO audit_log (at, actor_kind, subject, client_id, action, method, path, status, client_ip) VALUES
                ({Ago(950)}, 'customer', '{Ann}', 'shop-storefront', 'CreateHold', 'POST', '/v1/holds', 201, '198.51.100.7'),
                ({Ago(950)}, 'integrator', 'shop-backend', 'shop-backend', 'CreateEvent', 'POST', '/v1/events', 201, '198.51.100.8'),
                ({Ago(20)}, 'customer', '{Bob}', 'shop-storefront', 'CreateHold', 'POST', '/v1/holds', 201, '203.0.113.9');
            """;
        await using var cmd = db.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }
}
