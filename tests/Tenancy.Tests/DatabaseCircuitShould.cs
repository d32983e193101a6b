using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TicketAspire.Tenancy.Data;

namespace TicketAspire.Tenancy.Tests;

public sealed class DatabaseCircuitShould
{
    [Fact]
    public async Task OpenOnATripAndCloseOnceAProbeConnects()
    {
        var probes = 0;
        var closed = 0;
        var serverUp = false;
        using var stopping = new CancellationTokenSource();
        var circuit = new DatabaseCircuit("reseller_acme", _ =>
        {
            Interlocked.Increment(ref probes);
            return Volatile.Read(ref serverUp) ? Task.CompletedTask : throw new NpgsqlException("Failed to connect");
        }, () => Interlocked.Increment(ref closed), TimeSpan.FromMilliseconds(10), TimeProvider.System, NullLogger.Instance, stopping.Token);

        Assert.False(circuit.IsOpen);
        circuit.Trip(new NpgsqlException("Exception while reading from stream"));
        circuit.Trip(new NpgsqlException("again"));   // already open: still one probe loop
        Assert.True(circuit.IsOpen);
        await WaitUntilAsync(() => Volatile.Read(ref probes) >= 3);
        Assert.True(circuit.IsOpen);
        Assert.Equal(0, Volatile.Read(ref closed));

        Volatile.Write(ref serverUp, true);
        await WaitUntilAsync(() => !circuit.IsOpen);
        Assert.Equal(1, Volatile.Read(ref closed));
        await stopping.CancelAsync();
    }

    [Fact]
    public async Task CancelTheWaitsOfAnOutageAndGiveTheNextRequestsAFreshToken()
    {
        var serverUp = false;
        using var stopping = new CancellationTokenSource();
        var circuit = new DatabaseCircuit("reseller_acme",
            _ => Volatile.Read(ref serverUp) ? Task.CompletedTask : throw new NpgsqlException("Failed to connect"),
            () => { }, TimeSpan.FromMilliseconds(10), TimeProvider.System, NullLogger.Instance, stopping.Token);
        var before = circuit.OutageToken;

        // a request waiting for a pooled connection when the server goes away stops waiting at the trip
        var waiting = Task.Delay(Timeout.Infinite, before);
        circuit.Trip(new NpgsqlException("Exception while reading from stream"));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(5)));

        Volatile.Write(ref serverUp, true);
        await WaitUntilAsync(() => !circuit.IsOpen);
        Assert.True(before.IsCancellationRequested);
        Assert.False(circuit.OutageToken.IsCancellationRequested);
        await stopping.CancelAsync();
    }

    [Theory]
    [InlineData("57P01", true)]   // the server is shutting down (or its postmaster died)
    [InlineData("57P03", true)]   // still starting
    [InlineData("08006", true)]   // connection failure
    [InlineData("53300", true)]   // too many connections
    [InlineData("23505", false)]  // a unique violation is the statement's
    [InlineData("40P01", false)]  // so is a deadlock
    public void TellAServerOutOfReachFromAStatementError(string sqlState, bool unavailable)
    {
        var error = new PostgresException("message", "FATAL", "FATAL", sqlState);

        Assert.Equal(unavailable, DatabaseFailures.IsUnavailable(error));
        Assert.Equal(unavailable, DatabaseFailures.IsUnavailable(new InvalidOperationException("wrapped, as EF Core does", error)));
    }

    [Fact]
    public void TellATimeoutFromABrokenConnection()
    {
        var timeout = new NpgsqlException("The operation has timed out", new TimeoutException());
        var broken = new NpgsqlException("Exception while reading from stream", new EndOfStreamException());

        Assert.True(DatabaseFailures.IsUnavailable(timeout) && DatabaseFailures.IsTimeout(timeout));
        Assert.True(DatabaseFailures.IsUnavailable(broken) && !DatabaseFailures.IsTimeout(broken));
        Assert.False(DatabaseFailures.IsUnavailable(new InvalidOperationException("not the database")));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
