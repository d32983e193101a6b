using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TicketAspire.Identity.Infrastructure;

namespace TicketAspire.Identity.Extensions;

/// <summary>
/// The operators' key command, run instead of the service (<c>dotnet run --project src/Identity -- keys …</c>):
/// <c>keys add</c> writes a new key file into a key directory, <c>keys list</c> shows the ring and what each key is used for.
/// The PFX password, if any, is read from <c>IdentityKeyOptions__Password</c> as the service reads it.
/// </summary>
public static class KeysCommand
{
    /// <summary>Exit code of a successful command.</summary>
    public const int Ok = 0;

    /// <summary>Exit code of a command that failed (an unreadable key file, a file that exists already).</summary>
    public const int Failed = 1;

    /// <summary>Exit code of a command line that is not understood; the usage is printed.</summary>
    public const int BadUsage = 2;

    private const string Usage = """
        usage: keys add --dir <dir> [--kind signing|encryption] [--not-before <ISO 8601 time>] [--lifetime-days <N>]
               keys list --dir <dir>
          add    creates <kind>-<not-before>.pfx (mode 0600), valid from --not-before (default now) for --lifetime-days
                 (default 730); the identity service loads it when it next starts. Each replica signs with the valid
                 key that expires last, chosen when it starts, and publishes every key that has not expired
          list   prints every key of the directory: kind, kid (certificate thumbprint), not-before, not-after, status
                 (signing / encrypting: in use; published (signing) or loaded (encryption): not in use;
                 expired: skipped by the service)
        """;

    /// <summary>Whether the command line asks for the key command rather than the service.</summary>
    public static bool IsKeysCommand(string[] args) => args is ["keys", ..];

    /// <summary>Runs <c>keys add</c> or <c>keys list</c> (<paramref name="args"/> starts with <c>keys</c>); returns the exit code.</summary>
    public static int Run(string[] args, TimeProvider time, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args is not ["keys", "add" or "list", ..])
        {
            return Fail(error, "expected 'keys add' or 'keys list'");
        }

        if (!TryParse(args[2..], out var options, out var problem))
        {
            return Fail(error, problem);
        }

        if (options.Dir is null)
        {
            return Fail(error, "--dir is required");
        }

        var password = Environment.GetEnvironmentVariable("IdentityKeyOptions__Password");
        if (args[1] == "list")
        {
            return options.HasAddOptions ? Fail(error, "'keys list' takes only --dir") : List(options.Dir, password, time.GetUtcNow(), output, error);
        }

        try
        {
            var path = CellKeyRing.AddKey(options.Dir, options.Kind ?? KeyKind.Signing, options.NotBefore ?? time.GetUtcNow(),
                options.Lifetime ?? CellKeyRing.DefaultLifetime, password);
            output.WriteLine($"added {path}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine(e.Message);
            return Failed;
        }

        return List(options.Dir, password, time.GetUtcNow(), output, error);
    }

    private static int List(string dir, string? password, DateTimeOffset now, TextWriter output, TextWriter error)
    {
        if (!Directory.Exists(dir))
        {
            error.WriteLine($"{dir}: no such directory");
            return Failed;
        }

        var result = Ok;
        output.WriteLine($"{"kind",-11} {"kid (thumbprint)",-40} {"not-before",-20} {"not-after",-20} {"status",-10} file");
        foreach (var kind in new[] { KeyKind.Signing, KeyKind.Encryption })
        {
            var files = new Dictionary<X509Certificate2, string>(ReferenceEqualityComparer.Instance);
            foreach (var file in KeyFile.Find(dir, kind))
            {
                try
                {
                    files.Add(KeyFile.Load(file, password), Path.GetFileName(file));
                }
                catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
                {
                    error.WriteLine($"{file}: cannot load ({e.Message})");
                    result = Failed;
                }
            }

            var ordered = CellKeyRing.Order(files.Keys, now);
            foreach (var certificate in ordered)
            {
                var status = CellKeyRing.IsExpired(certificate, now) ? "expired"
                    : ReferenceEquals(certificate, ordered[0]) && CellKeyRing.IsValid(certificate, now)
                        ? (kind == KeyKind.Signing ? "signing" : "encrypting")
                        : (kind == KeyKind.Signing ? "published" : "loaded");
                output.WriteLine($"{KeyFile.Prefix(kind),-11} {certificate.Thumbprint,-40} {Time(certificate.NotBefore),-20} " +
                    $"{Time(certificate.NotAfter),-20} {status,-10} {files[certificate]}");
            }
        }

        return result;
    }

    private static string Time(DateTime local) => local.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static bool TryParse(string[] args, out Options options, out string problem)
    {
        (options, problem) = (new Options(), "");
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i], value)
            {
                case (_, null):
                    problem = $"{args[i]} needs a value";
                    return false;
                case ("--dir", _):
                    options = options with { Dir = value };
                    break;
                case ("--kind", "signing" or "encryption"):
                    options = options with { Kind = value == "signing" ? KeyKind.Signing : KeyKind.Encryption };
                    break;
                case ("--not-before", _) when DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal, out var notBefore):
                    options = options with { NotBefore = notBefore };
                    break;
                case ("--lifetime-days", _) when int.TryParse(value, CultureInfo.InvariantCulture, out var days) && days > 0:
                    options = options with { Lifetime = TimeSpan.FromDays(days) };
                    break;
                default:
                    problem = $"unknown option or bad value: {args[i]} {value}";
                    return false;
            }
        }

        return true;
    }

    private static int Fail(TextWriter error, string problem)
    {
        error.WriteLine(problem);
        error.WriteLine(Usage);
        return BadUsage;
    }

    private readonly record struct Options(string? Dir, KeyKind? Kind, DateTimeOffset? NotBefore, TimeSpan? Lifetime)
    {
        public bool HasAddOptions => Kind is not null || NotBefore is not null || Lifetime is not null;
    }
}
