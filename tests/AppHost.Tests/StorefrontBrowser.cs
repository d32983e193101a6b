using Microsoft.Playwright;

namespace TicketAspire.AppHost.Tests;

/// <summary>Debian's chromium for Playwright (installed by apt, never downloaded), and the README's screenshots.</summary>
internal static class StorefrontBrowser
{
    /// <summary>The browser Playwright drives (<c>apt-get install chromium</c>; .ci/run installs it).</summary>
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>
    /// Debian's chromium, headless, resolving every <c>*.localhost</c> name (the cells' and the resellers' hosts) to this
    /// machine.
    /// </summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = Chromium,
        Headless = true,
        Args = ["--host-resolver-rules=MAP *.localhost 127.0.0.1"],
    });

    /// <summary>Where the README's screenshots live: <c>docs/screenshots/</c> of the repository the tests run from.</summary>
    public static string ScreenshotDirectory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TicketAspire.sln")))
            {
                dir = dir.Parent;
            }

            return Path.Combine(dir?.FullName ?? Path.GetTempPath(), "docs", "screenshots");
        }
    }

    /// <summary>Saves the whole page as <c>docs/screenshots/&lt;name&gt;.png</c>.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }
}
