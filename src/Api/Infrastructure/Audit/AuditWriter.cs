using System.Threading.Channels;
using Npgsql;

namespace TicketAspire.Api.Infrastructure.Audit;

/// <summary>
/// Writes audit lines into each reseller's own database. Ordinary writes are queued and inserted in batches (one
/// statement per reseller and batch, so the audit log costs the hold path no round trip); the queue is bounded (callers
/// wait when it is full, nothing is dropped) and drained on shutdown. Staff actions are written before they run
/// (<see cref="BeginAsync"/>): no support action happens unaudited.
/// </summary>
public sealed class AuditWriter(ILogger<AuditWriter> logger) : BackgroundService
{
    private const int BatchSize = 500;

    private readonly Channel<(NpgsqlDataSource Db, AuditEntry Entry)> _queue =
        Channel.CreateBounded<(NpgsqlDataSource, AuditEntry)>(new BoundedChannelOptions(20_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Queues <paramref name="entry"/> for <paramref name="db"/>.</summary>
    public ValueTask EnqueueAsync(NpgsqlDataSource db, AuditEntry entry, CancellationToken ct) => _queue.Writer.WriteAsync((db, entry), ct);

    /// <summary>Writes <paramref name="entry"/> now (status still unknown) and returns its id for <see cref="CompleteAsync"/>.</summary>
    public async Task<long> BeginAsync(NpgsqlDataSource db, AuditEntry entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var cmd = db.CreateCommand(Insert(single: true));
        AddParameters(cmd, [entry]);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Records the status a staff action ended with.</summary>
    public async Task CompleteAsync(NpgsqlDataSource db, long id, int status)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var cmd = db.CreateCommand("UPDATE audit_log SET status = $2 WHERE id = $1 AND status IS NULL");
        cmd.Parameters.Add(new() { Value = id });
        cmd.Parameters.Add(new() { Value = status });
        await cmd.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<(NpgsqlDataSource Db, AuditEntry Entry)>(BatchSize);
        // not stoppingToken: on shutdown the writer is completed and the loop drains what was queued
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < BatchSize && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            foreach (var group in batch.GroupBy(x => x.Db))
            {
                await FlushAsync(group.Key, [.. group.Select(x => x.Entry)]);
            }

            batch.Clear();
        }
    }

    private async Task FlushAsync(NpgsqlDataSource db, List<AuditEntry> entries)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var cmd = db.CreateCommand(Insert(single: false));
                AddParameters(cmd, entries);
                await cmd.ExecuteNonQueryAsync();
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or ObjectDisposedException or InvalidOperationException)
            {
                if (attempt >= 5)
                {
                    logger.LogError(ex, "Audit: {Count} lines for {Database} could not be written: {Lines}", entries.Count, new NpgsqlConnectionStringBuilder(db.ConnectionString).Database,
                        string.Join("; ", entries.Select(e => $"{e.At:O} {e.ActorKind}:{e.Subject} {e.Action} {e.ResourceId} {e.Status}")));
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
        }
    }

    private static string Insert(bool single) => $"""
        INSERT INTO audit_log (at, actor_kind, subject, client_id, action, method, path, resource_id, status, client_ip, trace_id)
        SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                             $9::int[], $10::text[], $11::text[])
        {(single ? "RETURNING id" : "")}
        """;

    private static void AddParameters(NpgsqlCommand cmd, IReadOnlyList<AuditEntry> entries)
    {
        cmd.Parameters.Add(new() { Value = entries.Select(e => e.At).ToArray() });
        cmd.Parameters.Add(new() { Value = entries.Select(e => e.ActorKind).ToArray() });
        cmd.Parameters.Add(new() { Value = entries.Select(e => e.Subject).ToArray() });
        cmd.Parameters.Add(new() { Value = entries.Select(e => e.ClientId).ToArray() });
        cmd.Parameters.Add(new() { Value = entries.Select(e => e.Action).ToArray() });
        cmd.Parameters.Add(new() { Value = entries.Select(e => e.Method).ToArray() });
        cmd.Parameters.Add(new() { Value = entries.Select(e => e.Path).ToArray() });
        cmd.Parameters.Add(new() { Value = entries.Select(e => e.ResourceId).ToArray() });
        cmd.Parameters.Add(new() { Value = entries.Select(e => e.Status).ToArray() });
        cmd.Parameters.Add(new() { Value = entries.Select(e => e.ClientIp).ToArray() });
        cmd.Parameters.Add(new() { Value = entries.Select(e => e.TraceId).ToArray() });
    }
}
