using TicketAspire.Inventory.Model;
using TicketAspire.Inventory.Holds;
using TicketAspire.Inventory.Infrastructure;
using TicketAspire.Inventory.Orders;

namespace TicketAspire.Inventory.Events;

/// <summary>Field errors of one request, at most <see cref="EventLimits.MaxErrors"/> (a huge invalid body gets a short answer).</summary>
internal sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = [];

    /// <summary>Messages recorded.</summary>
    public int Count { get; private set; }

    /// <summary>True once <see cref="EventLimits.MaxErrors"/> messages are recorded: stop looking for more.</summary>
    public bool Full => Count >= EventLimits.MaxErrors;

    public void Add(string field, string message)
    {
        if (Full)
        {
            return;
        }

        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
        Count++;
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
}
