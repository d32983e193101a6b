using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Publishing;

namespace TicketAspire.AppHost.Extensions;

/// <summary>
/// Default of a secret parameter that has no configured value: a random secret generated on first use and kept in a
/// file (created mode 0600, in a directory created 0700) under the AppHost's data root, so a fresh <c>dotnet run</c> starts without prompting and later runs
/// reuse the value. Tests pass a throw-away data root and leave nothing behind (Aspire's own <c>persist: true</c> would
/// write into the developer's user secrets instead). A configured value (<c>Parameters:&lt;name&gt;</c>) always wins.
/// </summary>
public sealed class GeneratedSecretFile(string path) : ParameterDefault
{
    /// <summary>Where the value is kept.</summary>
    public string Path { get; } = path;

    /// <inheritdoc />
    public override string GetDefaultValue()
    {
        if (!File.Exists(Path))
        {
            Write(Path, Base64Url(RandomNumberGenerator.GetBytes(32)));
        }

        return File.ReadAllText(Path).Trim();
    }

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> unless the file exists (another process won the race):
    /// the directory is created mode 0700 and the file mode 0600 <em>by the system call that creates them</em>, so no
    /// other user can ever open it, not even between its creation and a later chmod; it appears complete or not at all.
    /// </summary>
    public static void Write(string path, string content)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            // the data root keeps its ordinary mode (the postgres OS user must traverse it to its data directory)
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(directory)!);
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(System.Text.Encoding.UTF8.GetBytes(content));
            }

            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // written by another process first: keep its value
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <inheritdoc />
    public override void WriteToManifest(ManifestPublishingContext context) =>
        new GenerateParameterDefault { MinLength = 32, Special = false }.WriteToManifest(context);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
