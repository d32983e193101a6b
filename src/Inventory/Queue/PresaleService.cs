using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Queue;

/// <summary>
/// Presales of one reseller database (seed 000 §3): an event may set a general on-sale time and presale windows before
/// it, each opened by a code (only its SHA-256 is kept) or to verified fans (signed-in end users who registered). Before
/// the general on-sale a hold passes <see cref="CheckAsync"/> only inside a window it qualifies for. The hold path reads
/// an event's presale plan from <see cref="PresaleCache"/>, so an event without one costs no query.
/// </summary>
public sealed class PresaleService(NpgsqlDataSource db, PresaleCache cache, TimeProvider time)
{
    /// <summary>Most windows one event may have.</summary>
    public const int MaxWindows = 20;

    /// <summary>Replaces the presale plan of <paramref name="eventId"/> (no general on-sale time: no presale, sales are open).</summary>
    public async Task<Result<PresalePlan>> ConfigureAsync(Guid eventId, PresaleSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var windows = settings.Windows ?? [];
        var errors = new Dictionary<string, string[]>();
        if (windows.Count > MaxWindows) { errors["windows"] = [$"At most {MaxWindows}."]; }
        if (windows.Count > 0 && settings.GeneralOnSaleAt is null) { errors["general_on_sale_at"] = ["Required with presale windows: they come before it."]; }
        for (var i = 0; i < Math.Min(windows.Count, MaxWindows); i++)
        {
            var w = windows[i];
            if (w.Name is not { Length: >= 1 and <= 100 }) { errors[$"windows[{i}].name"] = ["1 to 100 characters."]; }
            if (w.StartsAt is null || w.EndsAt is null || w.EndsAt <= w.StartsAt) { errors[$"windows[{i}].ends_at"] = ["starts_at and ends_at, ends_at after starts_at."]; }
            else if (settings.GeneralOnSaleAt is { } general && w.StartsAt >= general) { errors[$"windows[{i}].starts_at"] = ["Before general_on_sale_at."]; }
            if ((w.Code is { Length: > 0 }) == (w.VerifiedFans == true)) { errors[$"windows[{i}]"] = ["Either a code (6 to 64 characters) or verified_fans: true."]; }
            else if (w.Code is { } code && (code.Length is < 6 or > 64 || code.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))) { errors[$"windows[{i}].code"] = ["6 to 64 printable characters without spaces."]; }
        }

        if (errors.Count > 0)
        {
            return InventoryError.Validation(errors);
        }

        var now = time.GetUtcNow();
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            await using (var ev = new NpgsqlCommand("UPDATE events SET general_on_sale_at = $2 WHERE id = $1", conn, tx))
            {
                ev.Parameters.Add(new() { Value = eventId });
                ev.Parameters.Add(new() { Value = (object?)settings.GeneralOnSaleAt ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
                if (await ev.ExecuteNonQueryAsync(ct) == 0)
                {
                    return InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", eventId);
                }
            }

            await using var batch = new NpgsqlBatch(conn, tx);
            var delete = new NpgsqlBatchCommand("DELETE FROM presale_windows WHERE event_id = $1");
            delete.Parameters.Add(new() { Value = eventId });
            batch.BatchCommands.Add(delete);
            foreach (var w in windows)
            {
                var insert = new NpgsqlBatchCommand("""
                    INSERT INTO presale_windows (id, event_id, name, starts_at, ends_at, code_sha256, verified_fans, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                    """);
                foreach (var value in new object?[] { Guid.CreateVersion7(now), eventId, w.Name!.Trim(), w.StartsAt!.Value, w.EndsAt!.Value,
                             w.Code is { } code ? Hash(code) : null, w.VerifiedFans == true, now })
                {
                    insert.Parameters.Add(value is null ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea } : new NpgsqlParameter { Value = value });
                }

                batch.BatchCommands.Add(insert);
            }

            await batch.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
        }

        cache.Invalidate(db.ConnectionString, eventId);
        return await GetAsync(eventId, ct);
    }

    /// <summary>The presale plan of <paramref name="eventId"/> as a storefront shows it (never a code).</summary>
    public async Task<Result<PresalePlan>> GetAsync(Guid eventId, CancellationToken ct)
    {
        var plan = await ReadAsync(eventId, ct);
        return plan is null ? InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", eventId) : plan.Public;
    }

    /// <summary>Registers end user <paramref name="customerRef"/> as a verified fan of <paramref name="eventId"/> (again: the same).</summary>
    public async Task<Result<PresaleRegistration>> RegisterAsync(Guid eventId, string customerRef, CancellationToken ct)
    {
        var plan = await ReadAsync(eventId, ct);
        if (plan is null)
        {
            return InventoryError.NotFound(ErrorCodes.EventNotFound, "Event", eventId);
        }

        var now = time.GetUtcNow();
        if (!plan.Windows.Any(w => w.VerifiedFans))
        {
            return new InventoryError(ErrorCodes.PresaleNotFound, $"Event '{eventId}' has no verified-fan presale to register for.");
        }

        if (!plan.Windows.Any(w => w.VerifiedFans && w.EndsAt > now))
        {
            return new InventoryError(ErrorCodes.PresaleNotOpen, "The verified-fan presale is over.");
        }

        await using var cmd = db.CreateCommand("""
            INSERT INTO presale_registrations (event_id, customer_ref, registered_at) VALUES ($1, $2, $3)
            ON CONFLICT (event_id, customer_ref) DO UPDATE SET registered_at = presale_registrations.registered_at
            RETURNING registered_at
            """);
        cmd.Parameters.Add(new() { Value = eventId });
        cmd.Parameters.Add(new() { Value = customerRef });
        cmd.Parameters.Add(new() { Value = now });
        var at = (DateTime)(await cmd.ExecuteScalarAsync(ct))!;
        return new PresaleRegistration(eventId, customerRef, new DateTimeOffset(at, TimeSpan.Zero));
    }

    /// <summary>
    /// Null when <paramref name="customerRef"/> may hold on <paramref name="eventId"/> now: the general sale is open (or
    /// the event has no presale), or a window is open that <paramref name="code"/> opens or the customer registered for.
    /// Otherwise the refusal (<see cref="ErrorCodes.PresaleNotOpen"/>, <see cref="ErrorCodes.PresaleCodeRequired"/>).
    /// </summary>
    public async Task<InventoryError?> CheckAsync(Guid eventId, string? customerRef, string? code, CancellationToken ct)
    {
        var plan = cache.Get(db.ConnectionString, eventId);
        if (plan is null)
        {
            plan = await ReadAsync(eventId, ct);
            if (plan is null)
            {
                return null;   // no such event: the hold itself answers 404
            }

            cache.Set(db.ConnectionString, eventId, plan);
        }

        var now = time.GetUtcNow();
        if (plan.GeneralOnSaleAt is not { } general || general <= now)
        {
            return null;
        }

        var open = plan.Windows.Where(w => w.StartsAt <= now && now < w.EndsAt).ToList();
        if (open.Count == 0)
        {
            var next = plan.Windows.Where(w => w.StartsAt > now).Select(w => (DateTimeOffset?)w.StartsAt).Min();
            return new InventoryError(ErrorCodes.PresaleNotOpen, next is { } n
                ? $"Sales have not started: the next presale opens at {n:O}, the general sale at {general:O}."
                : $"Sales have not started: the general sale opens at {general:O}.",
                Extensions: new Dictionary<string, object?> { ["general_on_sale_at"] = general, ["next_presale_at"] = next });
        }

        if (code is { Length: > 0 and <= 64 } && open.Any(w => w.CodeSha256 is { } hash && CryptographicOperations.FixedTimeEquals(hash, Hash(code))))
        {
            return null;
        }

        if (customerRef is not null && open.Any(w => w.VerifiedFans) && await RegisteredAsync(eventId, customerRef, ct))
        {
            return null;
        }

        return new InventoryError(ErrorCodes.PresaleCodeRequired,
            $"Only presale buyers may hold now ({string.Join(", ", open.Select(w => w.Name))}): send the presale code in the Presale-Code header, or register as a verified fan before the presale. The general sale opens at {general:O}.",
            Extensions: new Dictionary<string, object?> { ["general_on_sale_at"] = general });
    }

    private async Task<bool> RegisteredAsync(Guid eventId, string customerRef, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT 1 FROM presale_registrations WHERE event_id = $1 AND customer_ref = $2");
        cmd.Parameters.Add(new() { Value = eventId });
        cmd.Parameters.Add(new() { Value = customerRef });
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    private async Task<PresaleState?> ReadAsync(Guid eventId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT e.general_on_sale_at, w.id, w.name, w.starts_at, w.ends_at, w.code_sha256, w.verified_fans
            FROM events e LEFT JOIN presale_windows w ON w.event_id = e.id WHERE e.id = $1 ORDER BY w.starts_at
            """);
        cmd.Parameters.Add(new() { Value = eventId });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        DateTimeOffset? general = null;
        var found = false;
        var windows = new List<PresaleWindowState>();
        while (await r.ReadAsync(ct))
        {
            found = true;
            general = r.IsDBNull(0) ? null : r.GetFieldValue<DateTimeOffset>(0);
            if (!r.IsDBNull(1))
            {
                windows.Add(new PresaleWindowState(r.GetGuid(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3), r.GetFieldValue<DateTimeOffset>(4),
                    r.IsDBNull(5) ? null : r.GetFieldValue<byte[]>(5), r.GetBoolean(6)));
            }
        }

        return found ? new PresaleState(eventId, general, windows) : null;
    }

    private static byte[] Hash(string code) => SHA256.HashData(Encoding.UTF8.GetBytes(code.Trim()));
}

/// <summary>
/// In-process memory of events' presale plans (5 s, like the waiting-room cache), so a hold on an event without a presale
/// costs no query; this replica's own changes apply at once, another replica's within that time.
/// </summary>
public sealed class PresaleCache(TimeProvider time)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);
    private const int MaxEntries = 50_000;
    private readonly ConcurrentDictionary<(string, Guid), (PresaleState Plan, DateTimeOffset Until)> _entries = new();

    internal PresaleState? Get(string database, Guid eventId) =>
        _entries.TryGetValue((database, eventId), out var e) && e.Until > time.GetUtcNow() ? e.Plan : null;

    internal void Set(string database, Guid eventId, PresaleState plan)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[(database, eventId)] = (plan, time.GetUtcNow() + Ttl);
    }

    internal void Invalidate(string database, Guid eventId) => _entries.TryRemove((database, eventId), out _);
}

internal sealed record PresaleWindowState(Guid Id, string Name, DateTimeOffset StartsAt, DateTimeOffset EndsAt, byte[]? CodeSha256, bool VerifiedFans);

internal sealed record PresaleState(Guid EventId, DateTimeOffset? GeneralOnSaleAt, IReadOnlyList<PresaleWindowState> Windows)
{
    public PresalePlan Public => new(EventId, GeneralOnSaleAt,
        [.. Windows.Select(w => new PresaleWindowView(w.Id, w.Name, w.StartsAt, w.EndsAt, w.CodeSha256 is null ? "verified_fans" : "code"))]);
}

/// <summary>An event's presale plan: the general on-sale time and the windows before it (each opened by a code or to verified fans).</summary>
public sealed record PresaleSettings(DateTimeOffset? GeneralOnSaleAt, IReadOnlyList<PresaleWindowSettings>? Windows);

/// <summary>One presale window: a code (kept hashed) or <paramref name="VerifiedFans"/>.</summary>
public sealed record PresaleWindowSettings(string? Name, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Code = null, bool? VerifiedFans = null);

/// <summary>An event's presale plan as anyone may see it (no codes).</summary>
public sealed record PresalePlan(Guid EventId, DateTimeOffset? GeneralOnSaleAt, IReadOnlyList<PresaleWindowView> Windows);

/// <summary>A presale window (<paramref name="Access"/>: <c>code</c> or <c>verified_fans</c>).</summary>
public sealed record PresaleWindowView(Guid Id, string Name, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Access);

/// <summary>A verified fan's registration for an event's presale.</summary>
public sealed record PresaleRegistration(Guid EventId, string CustomerRef, DateTimeOffset RegisteredAt);
