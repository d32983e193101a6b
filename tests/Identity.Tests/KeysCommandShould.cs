using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using TicketAspire.Identity.Extensions;
using TicketAspire.Identity.Infrastructure;

namespace TicketAspire.Identity.Tests;

public sealed class KeysCommandShould : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly TempDirectory _keys = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose()
    {
        _keys.Dispose();
        _output.Dispose();
        _error.Dispose();
    }

    [Theory]
    [InlineData("keys")]
    [InlineData("keys remove --dir {dir}")]
    [InlineData("keys add")]
    [InlineData("keys add --dir")]
    [InlineData("keys add --dir {dir} --kind bogus")]
    [InlineData("keys add --dir {dir} --lifetime-days 0")]
    [InlineData("keys add --dir {dir} --not-before tomorrow")]
    [InlineData("keys list --dir {dir} --kind signing")]
    public void ExitWithTwoAndPrintTheUsageWhenTheCommandLineIsBad(string commandLine)
    {
        var exitCode = Run(commandLine);

        Assert.Equal(KeysCommand.BadUsage, exitCode);
        Assert.Contains("usage: keys add --dir <dir>", _error.ToString());
        Assert.Empty(Directory.GetFiles(_keys.Path));
    }

    [Fact]
    public void AddAKeyNamedByItsNotBefore()
    {
        var exitCode = Run("keys add --dir {dir} --kind encryption --not-before 2026-12-02T06:30:00Z --lifetime-days 90");

        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(_keys.File("encryption-20261202T063000Z.pfx"), null);
        Assert.Equal(KeysCommand.Ok, exitCode);
        Assert.Equal(new DateTime(2027, 3, 2, 6, 30, 0, DateTimeKind.Utc), certificate.NotAfter.ToUniversalTime());
        Assert.Contains($"{certificate.Thumbprint} 2026-12-02T06:30:00Z 2027-03-02T06:30:00Z loaded", _output.ToString());
    }

    [Fact]
    public void ListEveryKeyWithWhatItIsUsedFor()
    {
        var expired = Add(KeyKind.Signing, Now.AddDays(-400), 365);
        var current = Add(KeyKind.Signing, Now.AddDays(-1), 365);
        var next = Add(KeyKind.Signing, Now.AddDays(1), 730);
        var encryption = Add(KeyKind.Encryption, Now.AddDays(-1), 365);

        var exitCode = Run("keys list --dir {dir}");

        var status = _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(columns => columns[1], columns => columns[4]);
        Assert.Equal(KeysCommand.Ok, exitCode);
        Assert.Equal("expired", status[expired]);
        Assert.Equal("signing", status[current]);
        Assert.Equal("published", status[next]);
        Assert.Equal("encrypting", status[encryption]);
    }

    private int Run(string commandLine) => KeysCommand.Run(
        commandLine.Replace("{dir}", _keys.Path, StringComparison.Ordinal).Split(' '), _time, _output, _error);

    private string Add(KeyKind kind, DateTimeOffset notBefore, int days)
    {
        var path = CellKeyRing.AddKey(_keys.Path, kind, notBefore, TimeSpan.FromDays(days));
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, null);
        return certificate.Thumbprint;
    }
}
