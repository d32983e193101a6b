namespace TicketAspire.Payments.Simulator.Tests.Infrastructure;

/// <summary>A throw-away data directory.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("psp-tests-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a connection of a host still shutting down; the OS temp cleaner takes it
        }
    }
}
