namespace TicketAspire.Identity.Tests;

/// <summary>A fresh directory under the system temp directory, deleted with its files on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("ticketaspire-keys-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
