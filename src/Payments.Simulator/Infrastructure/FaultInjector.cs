namespace TicketAspire.Payments.Simulator.Infrastructure;

/// <summary>Faults armed by tests (<c>POST /v1/test/faults</c>): the next <c>count</c> calls of an operation fail.</summary>
public sealed class FaultInjector
{
    private readonly Lock _lock = new();
    private readonly List<ArmedFault> _faults = [];

    /// <summary>Arms a fault; faults armed earlier fire first.</summary>
    public void Arm(string operation, FaultKind kind, int count)
    {
        lock (_lock)
        {
            _faults.Add(new ArmedFault(operation, kind) { Remaining = count });
        }
    }

    /// <summary>Disarms every fault.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _faults.Clear();
        }
    }

    /// <summary>Takes one fault for a call of <paramref name="operation"/>, if one is armed.</summary>
    public FaultKind? TryTake(string operation)
    {
        lock (_lock)
        {
            var fault = _faults.Find(f => f.Operation == "*" || string.Equals(f.Operation, operation, StringComparison.Ordinal));
            if (fault is null)
            {
                return null;
            }

            if (--fault.Remaining == 0)
            {
                _faults.Remove(fault);
            }

            return fault.Kind;
        }
    }

    private sealed record ArmedFault(string Operation, FaultKind Kind)
    {
        public int Remaining { get; set; }
    }
}

/// <summary>How an armed call fails.</summary>
public enum FaultKind
{
    /// <summary>503 problem details, nothing done.</summary>
    Error = 0,

    /// <summary>The work is done and its idempotent response stored, then the answer is held for <see cref="PspOptions.TimeoutHold"/>.</summary>
    Timeout = 1,
}
