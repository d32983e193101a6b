using TicketAspire.AppHost.Extensions;

namespace TicketAspire.AppHost.Tests;

/// <summary>
/// Generated secrets (client secrets, database passwords, the waiting-room and payments keys) are readable by their
/// owner only from the moment their file exists: a watcher that looks at the directory while they are written never sees
/// one another user could open.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SecretFileTests : IDisposable
{
    private const UnixFileMode OthersOrGroup = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly string _root = Directory.CreateTempSubdirectory("ta-secrets-").FullName;

    [Fact]
    public async Task Generated_secret_files_are_never_readable_by_anyone_but_their_owner()
    {
        var directory = Path.Combine(_root, "eu-client-secrets");
        var exposed = new List<string>();
        using var stop = new CancellationTokenSource();
        // a tight loop over the directory, as another local user waiting for the file would do
        var watcher = Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (!Directory.Exists(directory))
                {
                    continue;
                }

                foreach (var file in Directory.EnumerateFiles(directory))
                {
                    try
                    {
                        if ((File.GetUnixFileMode(file) & OthersOrGroup) != 0)
                        {
                            exposed.Add($"{Path.GetFileName(file)}: {File.GetUnixFileMode(file)}");
                        }
                    }
                    catch (IOException)
                    {
                        // renamed or removed between listing and looking
                    }
                }
            }
        }, TaskCreationOptions.LongRunning);

        var values = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            values.Add(new GeneratedSecretFile(Path.Combine(directory, $"reseller-{i}")).GetDefaultValue());
        }

        await stop.CancelAsync();
        await watcher;

        Assert.Empty(exposed);
        Assert.Equal(300, values.Distinct().Count());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        Assert.All(Directory.GetFiles(directory), f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
        Assert.Equal(values[7], new GeneratedSecretFile(Path.Combine(directory, "reseller-7")).GetDefaultValue());   // kept, not regenerated
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
