namespace TicketAspire.Payments.Simulator.Tests.Infrastructure;

/// <summary>One simulator per test class, for tests that only look at their own intents.</summary>
public sealed class SimulatorFixture : IDisposable
{
    private readonly TempDir _dir = new();

    public SimulatorFixture() => Factory = new SimulatorFactory(_dir.Path);

    public SimulatorFactory Factory { get; }

    public void Dispose()
    {
        Factory.Dispose();
        _dir.Dispose();
    }
}
