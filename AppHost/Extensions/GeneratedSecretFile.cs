using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Publishing;

namespace TicketAspire.AppHost.Extensions;

/// <summary>
/// Default of a secret parameter that has no configured value: a random secret generated on first use and kept in a
/// file (mode 0600) under the AppHost's data root, so a fresh <c>dotnet run</c> starts without prompting and later runs
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
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var temp = $"{Path}.{Guid.NewGuid():N}.tmp";
            File.WriteAllText(temp, Base64Url(RandomNumberGenerator.GetBytes(32)));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            try
            {
                File.Move(temp, Path, overwrite: false);
            }
            catch (IOException)
            {
                File.Delete(temp);
            }
        }

        return File.ReadAllText(Path).Trim();
    }

    /// <inheritdoc />
    public override void WriteToManifest(ManifestPublishingContext context) =>
        new GenerateParameterDefault { MinLength = 32, Special = false }.WriteToManifest(context);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
