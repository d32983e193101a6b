namespace TicketAspire.Inventory.Live;

/// <summary>
/// A position in an event's outbox log: the writing transaction's id, then the row id. Rows are read in this order and
/// only once every older transaction has finished, so a position once passed is never filled in later.
/// </summary>
/// <param name="Xid">The transaction id (<c>xid8</c>) of the row at this position.</param>
/// <param name="Id">The outbox row id (the SSE event id).</param>
public readonly record struct StreamCursor(long Xid, long Id) : IComparable<StreamCursor>
{
    /// <summary>Before every row.</summary>
    public static readonly StreamCursor Start = new(0, 0);

    /// <inheritdoc />
    public int CompareTo(StreamCursor other) => Xid != other.Xid ? Xid.CompareTo(other.Xid) : Id.CompareTo(other.Id);

    /// <summary>True when <paramref name="left"/> comes after <paramref name="right"/>.</summary>
    public static bool operator >(StreamCursor left, StreamCursor right) => left.CompareTo(right) > 0;

    /// <summary>True when <paramref name="left"/> comes before <paramref name="right"/>.</summary>
    public static bool operator <(StreamCursor left, StreamCursor right) => left.CompareTo(right) < 0;

    /// <summary>True when <paramref name="left"/> is not before <paramref name="right"/>.</summary>
    public static bool operator >=(StreamCursor left, StreamCursor right) => left.CompareTo(right) >= 0;

    /// <summary>True when <paramref name="left"/> is not after <paramref name="right"/>.</summary>
    public static bool operator <=(StreamCursor left, StreamCursor right) => left.CompareTo(right) <= 0;

    /// <summary>The later of two positions.</summary>
    public static StreamCursor Max(StreamCursor a, StreamCursor b) => a >= b ? a : b;
}
