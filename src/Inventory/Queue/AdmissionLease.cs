using Npgsql;
using TicketAspire.Inventory.Model;

namespace TicketAspire.Inventory.Queue;

/// <summary>
/// The outcome of presenting an admission token for a hold. When admitted, <see cref="Transaction"/> has marked the queue
/// entry used and keeps its row locked: the hold's claim runs in it and <see cref="CompleteAsync"/> commits both, so a token
/// is spent exactly when a hold is made. Disposing without completing rolls back (the token stays usable).
/// </summary>
public sealed class AdmissionLease : IAsyncDisposable
{
    private readonly NpgsqlConnection? _connection;

    private AdmissionLease(NpgsqlConnection? connection, NpgsqlTransaction? transaction, InventoryError? error)
    {
        _connection = connection;
        Transaction = transaction;
        Error = error;
    }

    /// <summary>No admission needed (the event has no waiting room).</summary>
    public static AdmissionLease NotRequired { get; } = new(null, null, null);

    /// <summary>The transaction the hold's claim runs in; null when no admission is needed.</summary>
    public NpgsqlTransaction? Transaction { get; }

    /// <summary>Why the hold is refused, if it is.</summary>
    public InventoryError? Error { get; }

    internal static AdmissionLease Refused(InventoryError error) => new(null, null, error);

    internal static AdmissionLease Admitted(NpgsqlConnection connection, NpgsqlTransaction transaction) => new(connection, transaction, null);

    /// <summary>Commits the token's use together with the hold.</summary>
    public async Task CompleteAsync(CancellationToken ct)
    {
        if (Transaction is not null)
        {
            await Transaction.CommitAsync(ct);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Transaction is not null)
        {
            await Transaction.DisposeAsync();
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}
